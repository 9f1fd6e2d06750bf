app-name = لجنة
lang-name = العربية
skip-to-content = انتقل إلى المحتوى
demo-banner = لجنة للعرض. الوقائع مأخوذة من المقال المؤسس؛ السجلات الموسومة «مثال» توضيحية وليست وقائع.
illustrative = مثال
reference-date = تاريخ المرجع: { $date }
committee = اللجنة
parties = الطرفان
co-chairs = الرئيسان المشاركان
founded = تاريخ الإنشاء
purpose = الهدف
mission = الزيارة
missions = الزيارات
dates = التواريخ
venue = المكان
time-zone = المنطقة الزمنية
head-of-delegation = رئيس الوفد
visiting-party = الطرف الزائر
host-party = الطرف المضيف
programme = البرنامج
time-not-stated = الساعة غير محددة
areas = مجالات التعاون
area = المجال
progress = نسبة الإنجاز
actions = الإجراءات
overdue = متأخر
overdue-actions = الإجراءات المتأخرة
no-overdue = لا يوجد إجراء متأخر.
days-late = { $days ->
    [zero] لا تأخير
    [one] تأخير يوم واحد
    [two] تأخير يومين
    [few] تأخير { $days } أيام
    [many] تأخير { $days } يوماً
   *[other] تأخير { $days } يوم
}
due-soon = آجال الثلاثين يوماً القادمة
no-due-soon = لا توجد آجال في الثلاثين يوماً القادمة.
roadmap = خارطة الطريق
no-roadmap = لا توجد خارطة طريق بعد.
period = الفترة
adopted = معتمدة من الطرفين
awaiting-endorsement = في انتظار مصادقة { $parties }
decisions = القرارات
no-decisions = لم يسجل أي قرار بعد.
communiques = البلاغات
issued-by = صادر عن
quoted-statement = تصريح منقول
press = الصحافة
read-article = قراءة المقال كما نشر
publisher = الناشر
article-exact = النص أدناه محفوظ كما نشر، بايتاً ببايت.
text-hash = بصمة BLAKE3 للنص
record = السجل
events-count = { $count ->
    [zero] لا أحداث موقعة
    [one] حدث موقع واحد
    [two] حدثان موقعان
    [few] { $count } أحداث موقعة
    [many] { $count } حدثاً موقعاً
   *[other] { $count } حدث موقع
}
state-hash = بصمة الحالة
sessions = الدورات
next-session = الدورة القادمة
session-number = الدورة { $number }
agenda = جدول الأعمال
expected-outcome = النتيجة المنتظرة
owner = الطرف المسؤول
unit = الوحدة المسؤولة
start = البداية
due = الأجل
status = الحالة
title = العنوان
status-planned = مبرمج
status-in_progress = قيد الإنجاز
status-done = منجز
status-delayed = متأخر
status-blocked = متوقف
status-cancelled = ملغى
needs = الحاجيات
offers = العروض
training = برامج التكوين
quantity = الكمية
priority = الأولوية
seats = المقاعد المشغولة / المعروضة
institution = المؤسسة
course = التكوين
category-training = التكوين
category-equipment = المعدات
category-logistics = اللوجستيك
category-expertise = الخبرة
priority-high = عالية
priority-medium = متوسطة
priority-low = منخفضة
need-status-open = مفتوح
need-status-partly_met = ملبى جزئياً
need-status-met = ملبى
need-status-withdrawn = مسحوب
offer-status-proposed = مقترح
offer-status-accepted = مقبول
offer-status-declined = مرفوض
offer-status-delivered = مسلم
not-found = الصفحة غير موجودة
not-found-text = لا توجد صفحة بهذا العنوان. تحقق من الرابط أو عد إلى لوحة القيادة.
back-to-dashboard = العودة إلى لوحة القيادة
empty = لا شيء مسجل بعد.
forbidden = غير مسموح
server-error = خطأ في الخادم
nav-dashboard = لوحة القيادة
nav-sections = أقسام الموقع
nav-languages = اللغة
