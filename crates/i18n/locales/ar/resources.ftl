## الموارد (issue 18): الالتزامات والتسليمات وأسعار الصرف وأسباب رفضها.

error-unknown-currency = «{ $value }» ليست عملة معروفة (رموز ISO 4217: EUR وGBP وMAD وUSD وXAF وXOF).
error-amount-too-large = { $value } يتجاوز أكبر مبلغ مسموح به (2^53 − 1 وحدة).
error-not-an-amount = «{ $value }» ليس مبلغاً.
error-wrong-decimal-mark = «{ $value }»: اكتب الكسور العشرية بعد «{ $mark }».
error-too-many-decimals = { $max ->
    [zero] «{ $value }»: هذه العملة بلا كسور عشرية.
    [one] «{ $value }» فيه أكثر من منزلة عشرية واحدة.
    [two] «{ $value }» فيه أكثر من منزلتين عشريتين.
    [few] «{ $value }» فيه أكثر من { $max } منازل عشرية.
   *[other] «{ $value }» فيه أكثر من { $max } منزلة عشرية.
}
error-not-positive = { $value }: يجب أن تكون القيمة أكبر من الصفر.
error-delivery-before-pledge = لا يمكن أن يسبق تسليمٌ مؤرخ في { $date } الالتزامَ المؤرخ في { $pledged }.

resources-title = الموارد
resources-about = الالتزام بشأن
resources-pledge-date = تاريخ الالتزام
resources-value = القيمة الملتزم بها
resources-rate-from = عملة المصدر
resources-rate-to = عملة الوجهة
resources-rate-date = تاريخ السعر
resources-rate-numerator = بسط السعر
resources-rate-denominator = مقام السعر
resources-pledged = الملتزم به
resources-delivered = المسلَّم
resources-in-kind = عيناً
resources-reporting = المجاميع بـ{ $currency }
resources-rate-used = 1 { $from } = { $rate } { $to } (سعر { $date })
resources-no-rate = { $count ->
    [one] قيمة واحدة بلا سعر صرف من { $from } إلى { $to }: لم تُحتسب.
    [two] قيمتان بلا سعر صرف من { $from } إلى { $to }: لم تُحتسبا.
    [few] { $count } قيم بلا سعر صرف من { $from } إلى { $to }: لم تُحتسب.
   *[other] { $count } قيمة بلا سعر صرف من { $from } إلى { $to }: لم تُحتسب.
}
resources-uncounted = { $count ->
    [one] قيمة واحدة بلا سعر صرف، لم تُحتسب
    [two] قيمتان بلا سعر صرف، لم تُحتسبا
    [few] { $count } قيم بلا سعر صرف، لم تُحتسب
   *[other] { $count } قيمة بلا سعر صرف، لم تُحتسب
}
resources-not-honoured = التزامات لم يُوفَ بها
resources-no-area = بلا مجال
resources-no-roadmap = بلا خارطة طريق

currency-EUR = اليورو (EUR)
currency-GBP = الجنيه الإسترليني (GBP)
currency-MAD = الدرهم المغربي (MAD)
currency-USD = الدولار الأمريكي (USD)
currency-XAF = فرنك CFA BEAC (XAF)
currency-XOF = فرنك CFA BCEAO (XOF)

## The resources page (/resources).
resources-show-in = المجاميع بـ
resources-by-area = حسب المجال
resources-by-roadmap = حسب خارطة الطريق
resources-by-party = حسب الطرف
resources-area = المجال
resources-roadmap = خارطة الطريق
resources-all = المجموع
resources-percent = المسلَّم / المتعهد به
resources-none = لم يُسجَّل أي تعهد بعد.
resources-all-honoured = لا يوجد تعهد حلّ أجله ينتظر التسليم.
resources-pledges = التعهدات والتسليمات
resources-no-delivery = لم يُسلَّم شيء بعد.
resources-new-pledge = تعهد جديد
resources-sort = طبيعة التعهد
resources-sort-money = مبلغ
resources-quantity = الكمية (عيني)
resources-unit = الوحدة (عيني)
resources-amount = المبلغ، أو قيمة التعهد العيني
resources-currency = العملة
resources-private = تكلفة خاصة بطرفي (لا تُبلَّغ أبداً للطرف الآخر)
resources-new-rate = سعر صرف جديد
resources-rate = السعر (وحدة واحدة من العملة الأولى تساوي…)
resources-delivery-date = تاريخ التسليم
resources-delivery-value = المسلَّم (مبلغ بعملة التعهد، أو كمية)
resources-record-delivery = تسجيل التسليم
resources-withdraw = سحب
resources-withdraw-confirm = سُجّل هذا التسليم خطأً
resources-dashboard = الموارد: { $pledged } متعهد بها، { $delivered } مسلَّمة ({ $percent } ٪)؛ { $late ->
    [0] لا تعهد غير موفى به.
    [zero] لا تعهد غير موفى به.
    [one] تعهد واحد غير موفى به.
    [two] تعهدان غير موفى بهما.
    [few] { $late } تعهدات غير موفى بها.
   *[other] { $late } تعهداً غير موفى به.
}
