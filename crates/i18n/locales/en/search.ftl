search-title = Search
search-label = Words to find
search-button = Search
search-placeholder = Search the record…
search-help = Searches titles, minutes, communiqués, articles, decisions and actions, in Arabic, French and English — with or without accents, hamza or vowel marks, article or attached prefixes.
search-failed = The search index cannot be read right now. Try again later.
search-results = { $count ->
    [0] No results
    [one] { $count } result
   *[other] { $count } results
}
search-none = No record matches this search. Try another word or a shorter form.
search-pages = Result pages
search-prev = Previous
search-next = Next
search-page = Page
search-kind-action = Action
search-kind-mission = Mission
search-kind-session = Session
search-kind-decision = Decision
search-kind-communique = Communiqué
search-kind-press = Press article
search-kind-roadmap = Roadmap
search-kind-need = Need
search-kind-offer = Offer
search-kind-training = Training
search-kind-document = Document
