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
