## التذكيرات والإشعارات (issue 14): صفحة الإشعارات، العدّاد في الترويسة، الرسائل الإلكترونية.
notify-title = الإشعارات
notify-count = { $count ->
    [zero] لا إشعارات غير مقروءة
    [one] إشعار واحد غير مقروء
    [two] إشعاران غير مقروءين
    [few] { $count } إشعارات غير مقروءة
    [many] { $count } إشعاراً غير مقروء
   *[other] { $count } إشعار غير مقروء
}
notify-none = لا توجد إشعارات.
notify-mark-read = تعليم كمقروء
notify-mark-all-read = تعليم الكل كمقروء
notify-unread = غير مقروء
notify-read = مقروء
notify-page = الصفحة { $page } من { $pages }
notify-previous = السابقة
notify-next = التالية
notify-open = فتح
notify-due-soon = تذكير: إجراء «{ $title }» يستحق في { $due }
notify-overdue = تذكير: إجراء «{ $title }» متأخر
notify-endorse = «{ $title }» في انتظار مصادقتكم
notify-minutes-late = محضر «{ $title }» لم يصادق عليه الطرفان بعد
notify-new-action = إجراء جديد لوحدتكم: «{ $title }»
notify-peer-silent = لا تبادل مع عقدة الطرف الآخر منذ { $since }
notify-digest = ملخصكم الأسبوعي ({ $week })
notify-marked = سجل مصنف يتطلب انتباهكم
notify-digest-open = { $count ->
    [zero] لا إجراءات مفتوحة لطرفكم
    [one] إجراء واحد مفتوح لطرفكم
    [two] إجراءان مفتوحان لطرفكم
    [few] { $count } إجراءات مفتوحة لطرفكم
    [many] { $count } إجراءً مفتوحاً لطرفكم
   *[other] { $count } إجراء مفتوح لطرفكم
}
notify-digest-overdue = { $count ->
    [zero] لا شيء متأخر
    [one] واحد متأخر
    [two] اثنان متأخران
    [few] { $count } متأخرة
    [many] { $count } متأخراً
   *[other] { $count } متأخر
}
notify-mail-intro = لجنة — سجل اللجنة المشتركة
notify-mail-link = افتحه في لجنة:
notify-mail-prefs = إشعاراتكم وتفضيلاتكم:
profile-triggers = أخبروني (في لجنة وبالبريد الإلكتروني)
notify-trigger-due-soon = بإجراءاتي التي يقترب أجلها
notify-trigger-overdue = بإجراءاتي المتأخرة (مجدداً كل أسبوع)
notify-trigger-endorse = بما ينتظر مصادقتي
notify-trigger-minutes-late = بالمحاضر التي لم يصادق عليها الطرفان بعد
notify-trigger-new-action = بالإجراءات الجديدة لوحدتي
notify-trigger-peer-silent = بانقطاع التبادل مع عقدة الطرف الآخر
notify-trigger-digest = بالملخص الأسبوعي
## «عملي» (issue 14 item 1).
nav-my-work = عملي
my-work-title = عملي
my-work-mine = إجراءاتي
my-work-mine-empty = لا يوجد إجراء مفتوح تتولون مسؤوليته.
my-work-no-member = حسابكم غير مرتبط بعضو في اللجنة، فلا يسميكم أي إجراء مسؤولاً عنه.
my-work-party = إجراءات طرفي في انتظار التحديث
my-work-party-help = { $days ->
    [zero] الإجراءات المفتوحة المتأخرة.
    [one] الإجراءات المفتوحة المتأخرة أو التي يحل أجلها خلال يوم واحد.
    [two] الإجراءات المفتوحة المتأخرة أو التي يحل أجلها خلال يومين.
    [few] الإجراءات المفتوحة المتأخرة أو التي يحل أجلها خلال { $days } أيام.
    [many] الإجراءات المفتوحة المتأخرة أو التي يحل أجلها خلال { $days } يوماً.
   *[other] الإجراءات المفتوحة المتأخرة أو التي يحل أجلها خلال { $days } يوم.
}
my-work-party-empty = لا يوجد إجراء لطرفكم في انتظار التحديث.
my-work-endorse = في انتظار مصادقتي
my-work-endorse-empty = لا شيء في انتظار مصادقتكم.
my-work-not-co-chair = يصادق الرؤساء المشاركون لطرفكم على القرارات وخرائط الطريق والمحاضر.
my-work-decision = قرار
my-work-roadmap = خارطة الطريق
my-work-minutes = محضر الدورة
