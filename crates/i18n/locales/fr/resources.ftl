## Ressources (issue 18) : engagements, livraisons, taux de change et leurs refus.

error-unknown-currency = « { $value } » n’est pas une devise connue (codes ISO 4217 : EUR, GBP, MAD, USD, XAF, XOF).
error-amount-too-large = { $value } dépasse le plus grand montant admis (2^53 − 1 unités).
error-not-an-amount = « { $value } » n’est pas un montant.
error-wrong-decimal-mark = « { $value } » : écrivez les décimales après « { $mark } ».
error-too-many-decimals = { $max ->
    [0] « { $value } » : cette devise n’a pas de décimales.
    [one] « { $value } » a plus d’une décimale.
   *[other] « { $value } » a plus de { $max } décimales.
}
error-not-positive = { $value } : la valeur doit être supérieure à zéro.
error-delivery-before-pledge = Une livraison datée du { $date } ne peut précéder son engagement du { $pledged }.

resources-title = Ressources
resources-about = Engagé sur
resources-pledge-date = Date de l’engagement
resources-value = Valeur engagée
resources-rate-from = Devise de départ
resources-rate-to = Devise d’arrivée
resources-rate-date = Date du taux
resources-rate-numerator = Numérateur du taux
resources-rate-denominator = Dénominateur du taux
resources-pledged = Engagé
resources-delivered = Livré
resources-in-kind = En nature
resources-reporting = Totaux en { $currency }
resources-rate-used = 1 { $from } = { $rate } { $to } (taux du { $date })
resources-no-rate = { $count ->
    [one] Une valeur sans taux de { $from } en { $to } : non comptée.
   *[other] { $count } valeurs sans taux de { $from } en { $to } : non comptées.
}
resources-uncounted = { $count ->
    [one] une valeur sans taux, non comptée
   *[other] { $count } valeurs sans taux, non comptées
}
resources-not-honoured = Engagements non honorés
resources-no-area = Sans domaine
resources-no-roadmap = Sans feuille de route

currency-EUR = euro (EUR)
currency-GBP = livre sterling (GBP)
currency-MAD = dirham marocain (MAD)
currency-USD = dollar américain (USD)
currency-XAF = franc CFA BEAC (XAF)
currency-XOF = franc CFA BCEAO (XOF)

## The resources page (/resources).
resources-show-in = Totaux en
resources-by-area = Par domaine
resources-by-roadmap = Par feuille de route
resources-by-party = Par partie
resources-area = Domaine
resources-roadmap = Feuille de route
resources-all = Ensemble
resources-percent = Livré / engagé
resources-none = Aucun engagement n’est encore enregistré.
resources-all-honoured = Aucun engagement échu n’attend de livraison.
resources-pledges = Engagements et livraisons
resources-no-delivery = Rien n’est encore livré.
resources-new-pledge = Nouvel engagement
resources-sort = Nature de l’engagement
resources-sort-money = Montant
resources-quantity = Quantité (en nature)
resources-unit = Unité (en nature)
resources-amount = Montant, ou valeur de l’engagement en nature
resources-currency = Devise
resources-private = Coût propre à ma partie (jamais communiqué à l’autre partie)
resources-new-rate = Nouveau taux de change
resources-rate = Taux (1 unité de la devise de départ vaut…)
resources-delivery-date = Date de livraison
resources-delivery-value = Livré (montant dans la devise de l’engagement, ou quantité)
resources-record-delivery = Enregistrer la livraison
resources-withdraw = Retirer
resources-withdraw-confirm = Cette livraison a été saisie par erreur
resources-dashboard = Ressources : { $pledged } engagés, { $delivered } livrés ({ $percent } %) ; { $late ->
    [0] aucun engagement non honoré.
    [one] { $late } engagement non honoré.
   *[other] { $late } engagements non honorés.
}
