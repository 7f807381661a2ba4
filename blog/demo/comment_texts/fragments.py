"""Short pieces the demo threads combine: jabs, nods, retorts and parts of composed comments.

A composed comment is LEAD + CLAIM + TAIL (each optional but the claim), used
when a thread has used up its hand-written texts; each claim is used once. LINKS and CROSSREFS are
appended now and then; a cross-reference cites another comment as `{ref}`.
"""

JABS = (
    "Source?",
    "Citation needed.",
    "Nonsense.",
    "Says who?",
    "Sure, and I'm the Queen of Kestany.",
    "Come off it.",
    "Ha!",
    "You first.",
    "Keep telling yourself that.",
    "Not even close.",
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
    "Stop it, both of you.",
    "Speak for yourself.",
    "Hardly.",
    "Give it a week.",
    "That aged well. Oh wait, it's been an hour.",
)

# Short agreement: nobody answers these back.
NODS = (
    "This.",
    "Spot on.",
    "Exactly.",
    "Bingo.",
    "Agreed, sadly.",
    "+1",
    "Worth reading twice.",
    "Nailed it.",
    "The most sensible thing in the thread so far.",
    "This is the comment I came here for.",
    "Thank you. I was going to write this and you saved me the trouble.",
    "Well said.",
    "Hear, hear.",
    "This deserves more replies than it's getting.",
    "This is why I read the comments here. Thank you.",
    "I'm going to print this comment and pin it above my desk.",
    "Good catch. I missed that.",
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
    "nobody outside the basin will remember any of this by spring.",
    "the Federation's real audience for these warnings is at home.",
    "the relief column's losses will come out eventually, and they'll be worse than anyone says.",
    "the Coalition's regional command will outlast three defence secretaries at this rate.",
    "the Ridge Brigades will sell the wells to whoever pays next.",
    "a war this crowded with outsiders can only end at a table none of the locals sit at.",
    "the school building should never have been a headquarters in the first place.",
    "somebody in Kestany knows exactly how the Sefa force got there.",
    "the print-edition trick is the oldest one in the Courier's book.",
    "the wire agencies will correct this quietly in a month.",
    "the Talvar visit to Solvan is the piece that doesn't fit anyone's story yet.",
    "the ceasefire monitors are the only people in the basin everyone claims to respect.",
    "the government in Solvan is the one party nobody asks.",
    "we'll look back on the Sefa week as the moment this turned.",
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
