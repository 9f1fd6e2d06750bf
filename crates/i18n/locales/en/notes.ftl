notes-title = Internal notes
notes-private = These notes stay on this node, in your party's private log: they are never sent to the other party, by sync or in a bundle, and only your party's users see them.
notes-text = Note
