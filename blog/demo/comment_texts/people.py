"""The demo's commenters: registered readers and guests.

`weight` is how often a person comments; `style` leans them towards short jabs
("terse") or long answers ("wordy"); `cites` is how they point at an earlier
comment when they do not use the reply link: "@12", "@ 12", "#12", a pasted
footer ("Name | date | 12") or just "@Name".
"""

# (username, display name, weight, style, cites)
READERS = (
    ("tomasz", "Tomasz K.", 5, "wordy", "hash"),
    ("ardent", "Ardent Skeptic", 5, "wordy", "at"),
    ("fennwick", "Fennwick", 4, "terse", "at"),
    ("ines", "Ines Varga", 4, "plain", "hash"),
    ("oldsalt", "Old Salt", 4, "wordy", "at_space"),
    ("quillon", "quillon", 3, "terse", "hash"),
    ("marisol", "Marisol", 3, "plain", "at_space"),
    ("rhodri", "Rhodri Evans", 3, "wordy", "footer"),
    ("petra", "Petra Holm", 3, "plain", "name"),
    ("hollis", "Hollis", 4, "plain", "at"),
    ("daud", "Daud from Harran", 3, "wordy", "at"),
    ("mapwatcher", "mapwatcher", 2, "terse", "hash"),
    ("lena", "Lena R.", 2, "plain", "at"),
    ("cassius", "Cassius", 4, "terse", "at"),
    ("brenner", "J. Brenner", 2, "wordy", "footer"),
    ("yusuf", "Yusuf Amari", 2, "plain", "hash"),
    ("greyheron", "grey heron", 2, "plain", "at_space"),
    ("ottoline", "Ottoline", 2, "plain", "name"),
    ("vasko", "Vasko", 2, "terse", "at"),
    ("marguerite", "Marguerite D.", 2, "wordy", "hash"),
    ("kit", "Kit Calloway", 2, "plain", "at"),
    ("nadir", "Nadir", 2, "terse", "at"),
    ("thornbury", "Thornbury", 1, "wordy", "footer"),
    ("ebb", "ebb and flow", 2, "plain", "at_space"),
    ("ruth", "Ruth Abernathy", 1, "plain", "name"),
)

# (name, email, weight, style, cites). No guest may use a reader's name.
GUESTS = (
    ("Sable", "sable@example.org", 2, "terse", "at"),
    ("just passing through", "jpt@example.org", 1, "plain", "name"),
    ("K. Osei", "k.osei@example.org", 2, "wordy", "hash"),
    ("old hand", "oldhand@example.org", 2, "plain", "at_space"),
    ("Half Empty", "halfempty@example.org", 2, "terse", "at"),
    ("Bramble", "bramble@example.org", 1, "plain", "footer"),
    ("Wrenfield", "wrenfield@example.org", 1, "wordy", "hash"),
    ("a reader in Maren", "maren.reader@example.org", 2, "plain", "at"),
    ("Foxglove", "foxglove@example.org", 1, "terse", "at"),
    ("Ivo", "ivo@example.org", 2, "plain", "at_space"),
    ("Tess M.", "tess.m@example.org", 1, "plain", "name"),
    ("no-fly zone", "nofly@example.org", 2, "terse", "at"),
    ("Corvid", "corvid@example.org", 1, "plain", "hash"),
    ("Lucan", "lucan@example.org", 1, "wordy", "at"),
    ("Pilar", "pilar@example.org", 1, "plain", "at_space"),
)

# Marisol comments as a guest until someone else posts under her name; then she
# registers, so the name is hers from that comment on.
GUEST_UNTIL_REGISTERED = {"marisol": "marisol.guest@example.org"}
IMPOSTOR = ("Marisol", "marisol.speaks@example.org")
