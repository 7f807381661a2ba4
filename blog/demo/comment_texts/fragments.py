"""Short pieces the demo threads combine: jabs, retorts, and the parts of composed comments.

A composed comment is LEAD + CLAIM + TAIL (each optional but the claim), used
when a thread has used up its hand-written texts. LINKS and CROSSREFS are
appended now and then; a cross-reference cites another comment as `{ref}`.
"""

JABS = (
    "Source?",
    "Citation needed.",
    "This.",
    "Nonsense.",
    "Spot on.",
    "Says who?",
    "Sure, and I'm the Queen of Kestany.",
    "Come off it.",
    "Exactly.",
    "Ha!",
    "You first.",
    "Keep telling yourself that.",
    "Not even close.",
    "Bingo.",
    "Yawn.",
    "Read the post.",
    "Tell that to the monitors on the ridge.",
    "Tell that to the people in Sefa.",
    "And yet here we are.",
    "Wishful thinking.",
    'Define "precise".',
    "We'll see.",
    "Right on cue.",
    "Name one.",
    "Prove it.",
    "Nobody said that.",
    "Straw man.",
    "Agreed, sadly.",
    "Stop it, both of you.",
    "+1",
    "Worth reading twice.",
    "Speak for yourself.",
    "Nailed it.",
    "Hardly.",
    "Give it a week.",
    "That aged well. Oh wait, it's been an hour.",
)

# Said after a quoted line, the way readers pick apart a comment sentence by sentence.
QUOTE_RETORTS = (
    "Who says?",
    "Based on what?",
    "Which ones?",
    "That's the claim, yes. Where's the evidence?",
    "Half right.",
    "This is the key line.",
    "Agreed, and nobody has answered it.",
    "And before that?",
    "Since when?",
    "It didn't, though.",
    "Read that back slowly.",
    "Exactly my point.",
    "That word is doing a lot of work.",
    "According to whom?",
    "Meaning what, exactly?",
    "Only if you ignore Sefa.",
    "Twice, actually.",
    "Which is the whole problem.",
    'Who is "they"?',
    "Which road is that?",
)

LEADS = (
    "Thanks b.",
    "Late to this, but",
    "Quick thought:",
    "For what it's worth,",
    "Not sure anyone has said this yet, but",
    "Honestly,",
    "Long-time reader, rare commenter.",
    "Hmm.",
    "Back from the night shift and what a thread.",
    "Skimmed the comments, so apologies if this is covered:",
    "One more thing.",
    "Well.",
    "Coming back to this after dinner:",
    "Devil's advocate here.",
)

CLAIMS = (
    "the crossing was always going to stall at the river; the three incidents just made it "
    "obvious sooner.",
    "nobody in the Coalition's capitals wants a war with the Federation over a gas field they "
    "can't even use.",
    "the Ridge Brigades are the Black Banner with a new flag and a better salary.",
    "Sefa will decide this, not the diplomats and not the newspapers.",
    "the Federation needs this fight less than its statements suggest; it has bigger problems at "
    "home.",
    "the Qadira delegation is the real news of the week and nobody is covering it.",
    "if Kestany gets the gas, Kestany gets a say in everything else.",
    "the deconfliction channel is finished whatever happens now. Nobody will trust it again.",
    "the mortar strike was bad tradecraft by the Federation before it was anything else.",
    "the Coalition's silence is a choice, and choices can be read.",
    "every outsider in the basin is playing for the settlement now, not the war.",
    "Talvar is the one to watch. It always moves before the others.",
    "a general visiting a forward post with forty minutes' notice is asking for trouble.",
    "the Black Banner is finished as a territorial force but not as a weapon others can point.",
    "the Coalition's regional command has been a law unto itself since the ceasefire.",
    'the people of Dravany have been told "one more push" by every side for four years.',
    "the post's three-point watch list is the most useful thing written about the basin this "
    "month.",
    "the broadcasters will cover this the day something explodes, and not one day before.",
    "the gas will flow north to Kestany whoever wins, because Kestany is the only buyer that pays.",
    "a foreign minister doesn't go on the record by accident. Sorokov was told to say that.",
    "the Harran ceasefire was the last chance to keep outsiders out of the basin, and everyone "
    "let it go.",
    "the written complaints are the detail that matters. Three letters, no answer.",
    "the Coalition's advisers are the people with the most to lose if the line breaks.",
    "this will end in a deal over the wells that nobody in Solvan signs.",
    "the Federation's patience is a budget line, not a virtue.",
    "somebody in the Coalition's own parliament should be asking about the Qarun zone.",
    "it's the diesel I keep coming back to. Raids run on fuel.",
    'the more precise these attacks get, the less the "informers" story works.',
    "we'll learn more from what the Coalition doesn't deny than from what it says.",
    "the river has stopped more armies than any leak ever did.",
    "Kestany's president is playing both sides and will keep doing it until someone makes him "
    "choose.",
    "the map in the post is the best thing I've seen on the basin, rough or not.",
    "winter is the deadline everyone is really working to.",
    "two big outside powers sharing a battlefield through one phone line was never going to end "
    "well.",
    "the relief column that got the monitors out is the untold story here.",
    'the Sefa force came from somewhere, and "the desert" is not an answer.',
)

TAILS = (
    "Just my two cents.",
    "Time will tell.",
    "We'll know by the weekend.",
    "Happy to be proven wrong.",
    "Anyway, good thread.",
    "Prove me wrong.",
    "Watch Sefa.",
    "Mark my words.",
    "Back to lurking.",
    "That's all.",
    "Thanks again for the post.",
    "Stay safe, everyone in the basin.",
    "Make of it what you will.",
    "Rant over.",
)

# (label, url): appended as a Markdown link or a bare autolink.
LINKS = (
    ("the Sefa road attack, as reported locally", "https://example.org/wire/sefa-road-attack"),
    ("the Courier interview, print scan", "https://example.org/courier/sorokov-print-scan"),
    ("a map of the Qarun training zone", "https://example.org/maps/qarun-training-zone"),
    ("how deconfliction lines work", "https://example.org/explainers/deconfliction-lines"),
    ("the Black Banner's finances", "https://example.org/reports/black-banner-finances"),
    ("the Harran airfield strike, revisited", "https://example.org/archive/harran-airfield"),
    ("mortars for civilians", "https://example.org/blog/mortars-for-civilians"),
    ("the Qadira delegation's arrival", "https://example.org/news/qadira-delegation"),
    ("the Talvar intelligence chief in Solvan", "https://example.org/news/talvar-chief-solvan"),
    ("gas prices in Kestany", "https://example.org/markets/kestany-gas-weekly"),
)

LINK_INTROS = ("More here:", "See", "Worth reading:", "Background:", "This helps:")

# Said in passing about another comment than the one answered.
CROSSREFS = (
    "See also {ref}.",
    "({ref} said the same, better.)",
    "As {ref} pointed out upthread.",
    "Compare {ref}, which gets this right.",
    "I answered the same thing at {ref}.",
    "Not that {ref} agrees.",
)
