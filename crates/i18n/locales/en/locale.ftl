## As people's own tools expect (issue 17): the phone menu, dates and numbers in the reader's locale.
nav-menu = Menu
# The format a date field shows and its refusal (lajna_domain::day).
date-format = yyyy-mm-dd
error-not-a-day = “{ $value }” is not a date: write the year, month and day, e.g. 2025-12-31 (or day first, 31/12/2025).
