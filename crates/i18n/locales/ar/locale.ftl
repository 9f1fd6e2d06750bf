## As people's own tools expect (issue 17): the phone menu, dates and numbers in the reader's locale.
nav-menu = القائمة
# The format a date field shows and its refusal (lajna_domain::day).
date-format = يوم/شهر/سنة
error-not-a-day = «{ $value }» ليس تاريخًا: اكتب اليوم ثم الشهر ثم السنة، مثل 31/12/2025 (أو 2025-12-31).
