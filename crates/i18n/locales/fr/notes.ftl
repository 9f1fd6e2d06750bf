notes-title = Notes internes
notes-private = Ces notes restent sur ce nœud, dans le registre privé de votre partie : elles ne sont jamais envoyées à l’autre partie, ni par synchronisation ni dans un lot, et seuls les utilisateurs de votre partie les voient.
notes-text = Note
