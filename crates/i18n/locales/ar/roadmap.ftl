# خارطة الطريق، الحاجيات والعروض، برامج التكوين، السجل (pages/roadmap.rs).
roadmap-filters = عوامل التصفية
roadmap-all-parties = كل الأطراف
roadmap-all-statuses = كل الحالات
roadmap-all-areas = كل المجالات
roadmap-overdue-only = المتأخرة فقط
roadmap-sort = الترتيب حسب
roadmap-sort-due = الأجل
roadmap-sort-progress = نسبة الإنجاز
roadmap-sort-status = الحالة
roadmap-sort-title = العنوان
roadmap-order = الاتجاه
roadmap-asc = تصاعدي
roadmap-desc = تنازلي
roadmap-apply = تطبيق
roadmap-reset = إلغاء التصفية
roadmap-count = { $count ->
    [zero] لا إجراءات
    [one] إجراء واحد
    [two] إجراءان
    [few] { $count } إجراءات
    [many] { $count } إجراءً
   *[other] { $count } إجراء
}
roadmap-no-actions = لا يوجد إجراء يطابق عوامل التصفية هذه. ألغِ التصفية لعرض خارطة الطريق كاملة.
roadmap-page-of = الصفحة { $page } من { $pages }
roadmap-pages = الصفحات
roadmap-previous = الصفحة السابقة
roadmap-next = الصفحة التالية
roadmap-quick-update = تحيين سريع
needs-category = الصنف
needs-all-categories = كل الأصناف
needs-none = لا توجد حاجة تطابق عوامل التصفية هذه.
needs-no-offers = لا يوجد عرض يطابق عوامل التصفية هذه.
needs-action = الإجراء
needs-answers = يلبي الحاجة
training-none = لم يسجل أي برنامج تكوين بعد.
record-intro = كل تعديل حدث موقع. ويعاد التحقق من كل حدث في هذه الصفحة: بايتاته مقابل معرفه، وتوقيعاته وشهادة مفتاحه، وأصوله وساعة لامبورت، ومحتواه.
record-events = الأحداث
record-all-ok = تم التحقق من كل الأحداث؛ والإسقاطات المخزنة مطابقة لإعادة حساب السجل من البداية.
record-problem = فشل التحقق من الحدث { $id }: { $reason }. لم يتم التحقق من الأحداث التي تليه؛ شغّل «lajna verify» على العقدة وأبلغ المسؤول عنها.
record-hash-mismatch = الإسقاطات المخزنة غير مطابقة لإعادة حساب السجل من البداية؛ شغّل «lajna rebuild». بصمة الحالة المعاد حسابها:
record-none = لا يحتوي السجل على أي حدث بعد.
record-seq = الرقم
record-lamport = لامبورت
record-kind = النوع
record-id = المعرف
record-check = التحقق
record-verified = تم التحقق
record-failed = فشل: { $reason }
record-not-checked = لم يتم التحقق
record-intro-kept = كل تعديل حدث موقع، يتم التحقق منه عند إضافته أو استلامه: بايتاته مقابل معرفه، وتوقيعاته وشهادة مفتاحه، وأصوله وساعة لامبورت، ومحتواه. ويعيد النظام التحقق من السجل كاملاً من البداية عند التشغيل ثم كل عشر دقائق؛ وتعرض هذه الصفحة نتيجة آخر تحقق كامل.
record-last-check = آخر تحقق كامل (بالتوقيت العالمي)
record-since-check = { $count ->
    [zero] لا أحداث مخزنة منذ آخر تحقق كامل.
    [one] حدث واحد مخزن منذ آخر تحقق كامل، تم التحقق منه عند الاستلام.
    [two] حدثان مخزنان منذ آخر تحقق كامل، تم التحقق من كل منهما عند الاستلام.
    [few] { $count } أحداث مخزنة منذ آخر تحقق كامل، تم التحقق من كل منها عند الاستلام.
    [many] { $count } حدثاً مخزناً منذ آخر تحقق كامل، تم التحقق من كل منها عند الاستلام.
   *[other] { $count } حدث مخزن منذ آخر تحقق كامل، تم التحقق من كل منها عند الاستلام.
}
record-verified-on-receipt = تم التحقق عند الاستلام
record-private = السجل الخاص بـ { $party }
record-private-intro = أحداث يحتفظ بها هذا النظام لطرفه فقط: لا ترسل أبداً إلى الطرف الآخر، وهي خارج بصمة الحالة المشتركة.
