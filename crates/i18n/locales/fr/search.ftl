search-title = Recherche
search-label = Mots recherchés
search-button = Rechercher
search-placeholder = Rechercher dans le registre…
search-help = La recherche porte sur les titres, procès-verbaux, communiqués, articles, décisions et actions, en arabe, en français et en anglais — avec ou sans accents, hamza ou voyelles, article ou préfixes attachés.
search-failed = L’index de recherche ne peut pas être lu pour l’instant. Réessayez plus tard.
search-results = { $count ->
    [0] Aucun résultat
    [one] { $count } résultat
   *[other] { $count } résultats
}
search-none = Aucun enregistrement ne correspond à cette recherche. Essayez un autre mot ou une forme plus courte.
search-pages = Pages de résultats
search-prev = Précédent
search-next = Suivant
search-page = Page
search-kind-action = Action
search-kind-mission = Mission
search-kind-session = Session
search-kind-decision = Décision
search-kind-communique = Communiqué
search-kind-press = Article de presse
search-kind-roadmap = Feuille de route
search-kind-need = Besoin
search-kind-offer = Offre
search-kind-training = Formation
search-kind-document = Document
