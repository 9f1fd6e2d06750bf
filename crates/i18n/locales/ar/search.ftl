search-title = البحث
search-label = كلمات البحث
search-button = بحث
search-placeholder = ابحث في السجل…
search-help = يُبحث في العناوين والمحاضر والبلاغات والمقالات والقرارات والإجراءات، بالعربية والفرنسية والإنجليزية، مع الهمزة أو بدونها، وبالتشكيل أو بدونه، ومع أداة التعريف والحروف المتصلة.
search-failed = تعذّرت قراءة فهرس البحث الآن. أعد المحاولة لاحقاً.
search-results = { $count ->
    [zero] لا نتائج
    [one] نتيجة واحدة
    [two] نتيجتان
    [few] { $count } نتائج
    [many] { $count } نتيجة
   *[other] { $count } نتيجة
}
search-none = لا يوجد سجل يطابق هذا البحث. جرّب كلمة أخرى أو صيغة أقصر.
search-pages = صفحات النتائج
search-prev = السابق
search-next = التالي
search-page = الصفحة
search-kind-action = إجراء
search-kind-mission = بعثة
search-kind-session = دورة
search-kind-decision = قرار
search-kind-communique = بلاغ
search-kind-press = مقال صحفي
search-kind-roadmap = خارطة طريق
search-kind-need = حاجة
search-kind-offer = عرض
search-kind-training = تكوين
search-kind-document = وثيقة
