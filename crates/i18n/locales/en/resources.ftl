## Resources (issue 18): pledges, deliveries, exchange rates and their refusals.

error-unknown-currency = “{ $value }” is not a known currency (ISO 4217 codes: EUR, GBP, MAD, USD, XAF, XOF).
error-amount-too-large = { $value } is beyond the largest amount allowed (2^53 − 1 minor units).
error-not-an-amount = “{ $value }” is not an amount.
error-wrong-decimal-mark = “{ $value }”: write the decimals after “{ $mark }”.
error-too-many-decimals = { $max ->
    [0] “{ $value }”: this currency has no decimals.
    [one] “{ $value }” has more than one decimal.
   *[other] “{ $value }” has more than { $max } decimals.
}
error-not-positive = { $value }: the value must be more than zero.
error-delivery-before-pledge = A delivery dated { $date } cannot precede its pledge of { $pledged }.

resources-title = Resources
resources-about = Pledged on
resources-pledge-date = Date pledged
resources-value = Value pledged
resources-rate-from = From currency
resources-rate-to = To currency
resources-rate-date = Rate date
resources-rate-numerator = Rate numerator
resources-rate-denominator = Rate denominator
resources-pledged = Pledged
resources-delivered = Delivered
resources-in-kind = In kind
resources-reporting = Totals in { $currency }
resources-rate-used = 1 { $from } = { $rate } { $to } (rate of { $date })
resources-no-rate = { $count ->
    [one] One value without a rate from { $from } to { $to }: not counted.
   *[other] { $count } values without a rate from { $from } to { $to }: not counted.
}
resources-uncounted = { $count ->
    [one] one value without a rate, not counted
   *[other] { $count } values without a rate, not counted
}
resources-not-honoured = Pledges not honoured
resources-no-area = No area
resources-no-roadmap = No roadmap

currency-EUR = euro (EUR)
currency-GBP = pound sterling (GBP)
currency-MAD = Moroccan dirham (MAD)
currency-USD = US dollar (USD)
currency-XAF = CFA franc BEAC (XAF)
currency-XOF = CFA franc BCEAO (XOF)

## The resources page (/resources).
resources-show-in = Totals in
resources-by-area = By area
resources-by-roadmap = By roadmap
resources-by-party = By party
resources-area = Area
resources-roadmap = Roadmap
resources-all = All
resources-percent = Delivered / pledged
resources-none = No pledge is recorded yet.
resources-all-honoured = No pledge past its due date awaits delivery.
resources-pledges = Pledges and deliveries
resources-no-delivery = Nothing delivered yet.
resources-new-pledge = New pledge
resources-sort = What is pledged
resources-sort-money = An amount
resources-quantity = Quantity (in kind)
resources-unit = Unit (in kind)
resources-amount = Amount, or the value of a pledge in kind
resources-currency = Currency
resources-private = My party's own cost (never shared with the other party)
resources-new-rate = New exchange rate
resources-rate = Rate (1 unit of the first currency is…)
resources-delivery-date = Day delivered
resources-delivery-value = Delivered (amount in the pledge's currency, or quantity)
resources-record-delivery = Record the delivery
resources-withdraw = Withdraw
resources-withdraw-confirm = This delivery was recorded by mistake
resources-dashboard = Resources: { $pledged } pledged, { $delivered } delivered ({ $percent }%); { $late ->
    [0] no pledge not honoured.
    [one] { $late } pledge not honoured.
   *[other] { $late } pledges not honoured.
}
