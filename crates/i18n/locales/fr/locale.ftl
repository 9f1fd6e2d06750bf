## As people's own tools expect (issue 17): the phone menu, dates and numbers in the reader's locale.
nav-menu = Menu
# The format a date field shows and its refusal (lajna_domain::day).
date-format = jj/mm/aaaa
error-not-a-day = « { $value } » n’est pas une date : écrivez le jour, le mois puis l’année, par exemple 31/12/2025 (ou 2025-12-31).
