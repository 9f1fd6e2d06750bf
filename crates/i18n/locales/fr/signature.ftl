## Délégation de signature (issue 16, point 4) : un co-président laisse un membre de sa partie approuver pour lui pendant une période
endorse-signed-for = Pour le co-président { $chair } ({ $party }), P.O. { $delegate }
sig-title = Délégation de signature
sig-intro = Permettez à un membre de votre partie d’approuver les décisions et les feuilles de route à votre place d’un jour à un autre, tous deux inclus (« pour le co-président », P.O.). Chaque approbation montre les deux noms ; elle compte comme celle de votre partie. Vous pouvez retirer une délégation à tout moment.
sig-delegate = Membre
sig-from = Du
sig-to = Au (inclus)
sig-give = Déléguer ma signature
sig-none = Vous n’avez pas délégué votre signature.
sig-withdraw = Retirer
sig-withdrawn = retirée
sig-done = Votre signature est déléguée.
sig-withdrawn-done = La délégation est retirée.
