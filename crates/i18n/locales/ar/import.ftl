# استيراد مصفوفة المتابعة (pages/import.rs، `lajna import`).
import-title = استيراد مصفوفة المتابعة
import-intro = حمّل مصفوفة المتابعة (XLSX أو CSV، بعناوين أعمدة بالعربية أو الفرنسية أو الإنجليزية). سترى ما يغيّره كل سطر قبل أن يُكتب أي شيء.
import-file = ملف المصفوفة (XLSX أو CSV)
import-upload = معاينة الاستيراد
import-link = استيراد مصفوفة
import-preview-title = معاينة الاستيراد
import-result-title = تم الاستيراد
import-row = السطر
import-action = الإجراء
import-outcome = النتيجة
import-details = التفاصيل
import-outcome-create = سيُنشأ
import-outcome-update = سيُعدَّل
import-outcome-unchanged = دون تغيير
import-outcome-refused = مرفوض
import-summary = للإنشاء: { $created } · للتعديل: { $updated } · دون تغيير: { $unchanged } · مرفوضة: { $refused }
import-refused-nothing = سطر واحد على الأقل مرفوض: لن يُكتب أي شيء. صحّح الملف ثم حمّله من جديد.
import-nothing-to-do = كل الأسطر مطابقة للسجل: لا شيء يُكتب.
import-confirm = تطبيق هذه التغييرات
import-applied = { $count ->
    [zero] لم يُكتب أي حدث.
    [one] كُتب حدث واحد ووُقّع.
    [two] كُتب حدثان ووُقّعا.
    [few] كُتبت { $count } أحداث ووُقّعت.
    [many] كُتب { $count } حدثاً ووُقّع.
   *[other] كُتب { $count } حدث ووُقّع.
}
import-expired = لم يعد الملف المحمَّل محفوظاً لدى الخادم. حمّله من جديد.
import-changes = التغييرات: { $fields }
import-ignored = أعمدة مُهمَلة: { $columns }
import-matrix-language = لغة المصفوفة: { $lang }
import-again = استيراد ملف آخر
import-no-file = اختر ملفاً لتحميله.
import-too-large = يتجاوز حجم الملف { $mb } ميغابايت.
import-file-unreadable = الملف ليس مصنف XLSX ولا ملف CSV.
import-file-not-utf8 = السطر { $row }: ملف CSV ليس بترميز UTF-8. احفظه بصيغة «CSV UTF-8» ثم حمّله من جديد.
import-file-no-header = لم يوجد سطر عناوين بأعمدة المصفوفة (بالعربية أو الفرنسية أو الإنجليزية).
import-bad-date = تاريخ غير مقروء: «{ $detail }». اكتب 2025-12-31 أو 31/12/2025.
import-unknown-area = لا يوجد مجال تعاون باسم «{ $detail }».
import-ambiguous-area = «{ $detail }» يدل على أكثر من مجال؛ اكتب رمز المجال.
import-bad-progress = يجب أن تكون نسبة الإنجاز عدداً صحيحاً من 0 إلى 100، لا «{ $detail }».
import-duplicate-row = الإجراء نفسه الوارد في السطر { $detail }.
import-empty-title = الإجراء بلا عنوان، لا بالعربية ولا بالفرنسية.
import-unknown-status = حالة غير معروفة «{ $detail }». اكتب إحدى هذه الحالات: { $accepted }.
import-reason-required = يجب ذكر سبب الإجراء «{ $status }»: املأ خانة «{ $column }».
import-unknown-owner = «{ $detail }» ليس طرفاً في اللجنة.
import-unknown-id = لا يوجد إجراء بالمعرف «{ $detail }».
import-missing-value = الخانة «{ $column }» فارغة.
import-missing-column = يحتاج الإجراء الجديد إلى الأعمدة الناقصة هنا: { $detail }.
import-indicator-incomplete = يحتاج المؤشر إلى وحدته وقيمته الأساسية وهدفه وقيمته الحالية (أو لا شيء منها)؛ الخانة «{ $column }» فارغة.
import-bad-number = عدد صحيح غير مقروء: «{ $detail }».
import-no-roadmap = لا توجد خارطة طريق تُضاف إليها الإجراءات الجديدة؛ أعدّ خارطة طريق أولاً.
import-exists = هذا الإجراء مسجّل من قبل (المجال نفسه والعنوان نفسه)؛ أضف معرّفه إلى السطر لتعديله.
import-no-key = لا تستطيع هذه العقدة الكتابة باسم الطرف { $detail }.
# القراءة المحدودة لملف مرفوع (issue 12): المعاملات من ImportError::args.
import-file-too-many-parts = يضم المصنف { $parts } جزءاً، ولا يُقرأ منها أكثر من { $limit }. انسخ ورقة المصفوفة وحدها إلى مصنف جديد ثم حمّله من جديد.
import-file-nested-archive = يحتوي المصنف على أرشيف آخر («{ $part }»). احفظ ورقة المصفوفة وحدها دون ملفات مضمّنة ثم حمّلها من جديد.
import-file-inflated = يتجاوز المصنف بعد فك ضغطه { $mb } ميغابايت (عند «{ $part }»). احفظ ورقة المصفوفة وحدها ثم حمّلها من جديد.
import-file-bad-reference = «{ $cell }» ليست خلية جدول بيانات (من A1 إلى XFD1048576): الملف تالف. احفظه من جديد من برنامج الجداول.
import-file-too-many-rows = الخلية { $cell } تقع بعد السطر { $limit }. احفظ ورقة المصفوفة وحدها، { $limit } سطر على الأكثر، ثم حمّلها من جديد.
import-file-too-many-columns = الخلية { $cell } تقع بعد العمود { $limit }. احفظ أعمدة المصفوفة وحدها، { $limit } عموداً على الأكثر، ثم حمّلها من جديد.
import-file-too-many-cells = الخلية { $cell } تتجاوز حد { $limit } خلية. احفظ ورقة المصفوفة وحدها ثم حمّلها من جديد.
import-file-too-many-strings = يحتوي المصنف على أكثر من { $limit } نص. احفظ ورقة المصفوفة وحدها ثم حمّلها من جديد.
import-file-too-much-text = يحتوي المصنف على أكثر من { $mb } ميغابايت من النص. احفظ ورقة المصفوفة وحدها ثم حمّلها من جديد.
# A refused row: the party owning its action, then each reason after its column (issue 17 item 5).
import-owner = الطرف المالك: { $party }
import-in-column = العمود «{ $column }»: { $reason }

## Value columns (issue 18): what the owner party pledged on the action and delivered.
import-value-new-action = لا يمكن إرفاق قيمة متعهد بها بإجراء جديد: استورد الإجراء أولاً، ثم قيمته.
import-value-several = يحمل هذا الإجراء عدة تعهدات بعملات أو وحدات مختلفة: عدّلها في صفحة كل تعهد.
import-value-emptied = لا يُسحب التعهد «{ $detail }» عبر المصفوفة: أعد قيمته، أو صحّحه في صفحته.
import-value-delivery-first = لا يمكن إدخال تسليم قبل التعهد: استورد القيمة المتعهد بها أولاً، ثم القيمة المسلّمة.
import-value-kind-changed = تُغيَّر عملة أو وحدة «{ $detail }» لتعهد سبق تسليمه، أو طبيعة التعهد (مبلغ أو عيني)، في صفحته، لا عبر المصفوفة.
import-value-delivered-less = لا يمكن أن تنقص القيمة المسلّمة عبر المصفوفة: اسحب التسليم الخاطئ في صفحة التعهد.
