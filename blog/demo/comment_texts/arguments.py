"""Scripted parts of the long thread: arguments that run deep, and set pieces.

A chain is a back-and-forth in which each line answers the one before it; its
first line starts a new thread. A set piece is placed at a fraction `at` of the
thread and may reply to (`reply_to`) or cite (`cites`, as `{c0}`, `{c1}`… with
`{c0_name}`…) a labelled earlier comment, a chain line ("mortar:3") or any
earlier comment of a kind ("kind:jab"). `{name}` is the name of the person
answered. `registers` marks the comment from which a guest comments as a reader;
`is_discussable` lets anyone answer a set piece, not only the script.
"""

CHAINS = (
    {
        "label": "mortar",
        "at": 0.05,
        "lines": (
            (
                "oldsalt",
                "On the mortar strike, since I spent eleven years around the things. First rounds "
                '"within metres" and the third through the roof is what adjusted fire looks '
                "like: someone watching where the rounds fall and correcting. That needs an "
                "observer with eyes on the school, or a drone. The post is right to find it odd.",
            ),
            (
                "ardent",
                "Or the crew had the school registered years ago, like every other big building "
                "on the western bank. Four years of fighting around Dravany, {name}. They've had "
                "time to range every roof in town.",
            ),
            (
                "oldsalt",
                "Registered gets you close. It doesn't get you rounds on target forty minutes "
                "after a convoy arrives, unless someone tells you the convoy is there. The timing "
                "is the point, not the aim.",
            ),
            (
                "ardent",
                "The convoy of a lieutenant-general. With escort vehicles. In a town full of "
                "people with phones. You don't need the Coalition for that, you need one cousin "
                "on a balcony.",
            ),
            (
                "oldsalt",
                "And the cousin on the balcony was also watching the Solvan hills and the Sefa "
                "road the same three weeks? You keep explaining one incident at a time. The "
                "post's argument is about all three.",
            ),
            (
                "ardent",
                "Because they are three incidents in three places with three sets of attackers. "
                "Bundling them is how you make coincidence look like a plot.",
            ),
            (
                "cassius",
                "Bundling them is also how you notice a plot. Every investigation ever started "
                'with "funny, that again".',
            ),
            (
                "ardent",
                'And most of them ended with "turns out it was nothing". We only remember the '
                "ones that were something.",
            ),
            (
                "oldsalt",
                "Fine. Then give me the base rate. How often in four years has the Black Banner "
                "put a round on a headquarters within an hour of a senior visit? I can think of "
                "none. If you know of one, I'll drop it.",
            ),
            (
                "ardent",
                "I don't have a base rate and neither do you. That's my whole point. Neither of "
                "us can settle this from a sofa.",
            ),
            (
                "oldsalt",
                "Agreed on the sofa. Not agreed that it makes both answers equally likely.",
            ),
            (
                "fennwick",
                "Eleven replies deep and you've both just said \"we don't know\" in different "
                "fonts.",
            ),
            (
                "ardent",
                "Fair. Truce, Old Salt. Drinks are on whoever turns out to be right.",
            ),
        ),
    },
    {
        "label": "sources",
        "at": 0.2,
        "lines": (
            (
                "hollis",
                "The Federation sent the Coalition three written complaints, then went public, "
                "then named the Qarun crossing. That's how a serious state escalates. The next "
                "step isn't a statement.",
            ),
            (
                "rhodri",
                "The Federation also told us the Harran siege had killed eleven thousand "
                "civilians. When the lists came in, the figure was under two thousand. Forgive me "
                "if I wait for something other than a ministry spokesman.",
            ),
            (
                "hollis",
                "So every claim the Federation makes is false because one figure was inflated two "
                "years ago? By that standard nobody is a source.",
            ),
            (
                "rhodri",
                "Not false. Unverified. There's a difference, and your comment about \"serious "
                'states" skips it.',
            ),
            (
                "ines",
                "For what it's worth, the Harran figure came from the provincial health office, "
                "not the defence ministry. The ministry repeated it. Still bad, but not the same "
                "as inventing it.",
            ),
            (
                "rhodri",
                "Thanks Ines, that's fair. The ministry did keep repeating it for a month after it "
                "was challenged, though.",
            ),
            (
                "hollis",
                'And the Coalition called the airfield strike "routine" for how long? Three '
                "months? Nobody here holds that against every Coalition statement since.",
            ),
            (
                "rhodri",
                "I do, actually. I hold it against all of them equally. That's what being careful "
                "means.",
            ),
            (
                "hollis",
                "Then we agree more than it looks. I just think that when the careful answer is "
                '"both lie", the next question is whose lies have bodies under them.',
            ),
            (
                "ines",
                "That's a good line, {name}, but it isn't an argument. Both sides' lies have "
                "bodies under them.",
            ),
            (
                "hollis",
                "Fair. I'll stop here before someone asks me for a spreadsheet.",
            ),
        ),
    },
    {
        "label": "media",
        "at": 0.38,
        "lines": (
            (
                "brenner",
                "The media section is the weakest part of the post. The Courier DID print the "
                'interview. A wire agency DID carry it. "Ran nothing" is true only of the '
                "broadcasters, and broadcasters never run foreign-ministry interviews.",
            ),
            (
                "lena",
                "They ran a leaked remark about a minister's colleague for three days. It's about "
                "choices.",
            ),
            (
                "brenner",
                "A minister insulting a colleague is domestic politics with a laugh line. An "
                "interview summarised by a wire agency is homework. Every newsroom picks the laugh "
                "line. That's not a conspiracy, that's television.",
            ),
            (
                "quillon",
                "Small correction to the post: the Continental Press Agency wrote the summary, "
                'and the "one wire agency" that ran three paragraphs is a different one. So two '
                "agencies carried it.",
            ),
            (
                "brenner",
                "Thank you. Which rather makes my point: two agencies carried it.",
            ),
            (
                "lena",
                "And both cut the written complaints. Carrying a story with its centre cut out "
                "isn't the same as carrying it.",
            ),
            (
                "brenner",
                "The CPA summary has the written complaints. Third paragraph. I checked before I "
                "posted.",
            ),
            (
                "lena",
                "Then I stand corrected on the CPA. The other one still cut them. I'll go through "
                "the broadcasters' archives tonight.",
            ),
            (
                "brenner",
                "Please do. If none of them mentioned Sorokov on Tuesday, I'll concede the point "
                "here, in public.",
            ),
        ),
    },
    {
        "label": "warnings",
        "at": 0.52,
        "lines": (
            (
                "cassius",
                "Warnings since the ceasefire: three. Consequences: zero. I'll update this comment "
                "when either number changes.",
            ),
            (
                "hollis",
                "The consequences are the Kestany visit and the Qadira delegation. The Federation "
                "isn't answering with mortars. It's taking the Coalition's partners one by one.",
            ),
            (
                "cassius",
                "Ah, the secret master plan. Every time nothing happens, it was the plan all "
                "along.",
            ),
            (
                "daud",
                "Speaking as someone whose family is still in Harran: please don't wish for the "
                'consequences. When the Federation "responds", it\'s our roads and our bridges.',
            ),
            (
                "cassius",
                "{name}, that's fair, and I don't wish for it. I'm mocking the warnings, not "
                "hoping for what comes after them.",
            ),
            (
                "vasko",
                "Mocking the warnings is how you get what comes after them. Every escalation in "
                "this war began with someone deciding the other side was bluffing.",
            ),
            (
                "cassius",
                "Or with someone deciding they had to prove they weren't. That cuts both ways.",
            ),
            (
                "daud",
                "Both ways, yes. And the road to Sefa runs down the middle of both ways.",
            ),
            (
                "hollis",
                "Which is why the last line of the post matters. It isn't a threat. It describes "
                "how this has gone every time.",
            ),
            (
                "cassius",
                "Count updated. Warnings: three. Consequences: still zero. Replies to this "
                "comment: nine. Progress of a sort.",
            ),
        ),
    },
)

SET_PIECES = (
    {
        "label": "ask_link",
        "at": 0.02,
        "author": "ines",
        "text": "b, is the full Sorokov interview online anywhere? The CPA summary is all I can "
        "find and I'd like to read the passage about the written complaints in full.",
    },
    {
        "at": 0.045,
        "author": "b",
        "reply_to": "ask_link",
        "text": "Only in the weekend print edition, as far as I know. The CPA summary linked in "
        "the post is the best source online. If anyone finds a scan of the print page, please "
        "post it here.",
    },
    {
        "label": "tomasz_wrong",
        "is_discussable": True,
        "at": 0.08,
        "author": "tomasz",
        "text": "If I read the post right, the school that was hit was on the eastern bank, so the "
        "general had already crossed. That changes things: the crossing had started, and the "
        "Black Banner hit the bridgehead, not the rear.",
    },
    {
        "label": "geo_fix",
        "at": 0.09,
        "author": "mapwatcher",
        "reply_to": "tomasz_wrong",
        "text": 'Western bank, {name}. Second paragraph under "Three incidents". Nothing had '
        "crossed yet.",
    },
    {
        "at": 0.11,
        "author": "tomasz",
        "reply_to": "geo_fix",
        "cites": ("tomasz_wrong",),
        "text": "Correction to my own #{c0}: western bank, as mapwatcher says. I misread it. "
        "Ignore my last two sentences there.",
    },
    {
        "label": "marisol_first",
        "is_discussable": True,
        "at": 0.12,
        "author": "marisol",
        "text": "My aunt lives in Harran. She says the road to Sefa has been closed to civilians "
        "since Sunday and nobody will say why. Thank you for writing about it when nobody else "
        "does.",
    },
    {
        "label": "troops",
        "is_discussable": True,
        "at": 0.15,
        "author": "ottoline",
        "text": "Does anyone know how many government troops are actually on the eastern bank? If "
        "it's a few battalions, an air bridge can keep them going for a while. If it's a "
        "division, no chance.",
    },
    {
        "label": "petra",
        "is_discussable": True,
        "at": 0.17,
        "author": "petra",
        "text": "The diplomacy section deserves a post of its own. The Federation's president in "
        "Kestany, Talvar's intelligence chief in two capitals in three days, the ruler of Qadira "
        "flying in with two hundred people. That isn't a war expecting to go on for years. "
        "That's a settlement being priced.",
    },
    {
        "at": 0.21,
        "author": "hannah",
        "reply_to": "petra",
        "text": "Hannah here. The energy minister in the Qadira delegation is the tell: you don't "
        "bring him along to talk about ceasefires. I'm writing it up for next week. The pipeline "
        "communiqué from last month reads very differently in this light.",
    },
    {
        "label": "impostor",
        "at": 0.27,
        "author": "impostor",
        "text": "Who cares about Sefa. Let the Federation and the Coalition fight it out over the "
        "gas and the locals can sort out whatever is left. Not our problem and never was.",
    },
    {
        "at": 0.29,
        "author": "daud",
        "reply_to": "impostor",
        "text": "That's cold, {name}, and not like you at all. Some of us have family on that "
        "road.",
    },
    {
        "at": 0.3,
        "author": "fennwick",
        "reply_to": "impostor",
        "text": "Mask slipping?",
    },
    {
        "label": "complaint",
        "at": 0.36,
        "author": "marisol",
        "registers": True,
        "cites": ("impostor", "marisol_first"),
        "text": "Dear b,\n\nThat comment @ {c0} isn't mine. I would never write that about people "
        "in the basin; my aunt lives in Harran (see #{c1}). Someone borrowed my name, because a "
        "guest can type any name they like.\n\nI've registered now, so from this comment on "
        '"Marisol" is taken and nobody else can post under it.',
    },
    {
        "at": 0.38,
        "author": "moderator",
        "reply_to": "complaint",
        "cites": ("impostor",),
        "text": "Sam Keller, moderating. Thank you, Marisol, and sorry. #{c0} came from a "
        "different email address and network than your other comments, so it's with the "
        "moderators now. Registering was the right call: your name, and anything that merely "
        "looks like it, is reserved from now on.",
    },
    {
        "at": 0.4,
        "author": "daud",
        "reply_to": "complaint",
        "text": "Apologies, Marisol. I should have known from the tone.",
    },
    {
        "label": "vanished",
        "at": 0.46,
        "author": "Corvid",
        "text": "Off topic, sorry: my comment in the open thread last week vanished. If it was "
        "removed, say so. I'd rather be told than quietly disappear.",
    },
    {
        "at": 0.48,
        "author": "moderator",
        "reply_to": "vanished",
        "text": "It was held for review because it had five links in it, which is what spam looks "
        "like to the filter. It's published now. Nothing here is removed silently: a removed "
        "comment leaves a note in its place, and every removal is logged.",
    },
    {
        "at": 0.5,
        "author": "just passing through",
        "text": "Very off topic, but this long read on the grain trade is worth an hour of "
        "anyone's time: [Grain and guns](https://example.org/reports/grain-and-guns). It goes "
        "well with the Maren post from a few weeks back.",
    },
    {
        "label": "convoy",
        "is_discussable": True,
        "at": 0.56,
        "author": "yusuf",
        "text": "Update from the wires: a convoy reached Sefa overnight and the Harran road is "
        "open again, for now. [CPA flash](https://example.org/wire/sefa-convoy). It settles "
        "nothing, but the town holds.",
    },
    {
        "at": 0.57,
        "author": "a reader in Maren",
        "reply_to": "convoy",
        "text": "Thank God. Thanks for posting this, {name}.",
    },
    {
        "at": 0.62,
        "author": "moderator",
        "cites": ("kind:jab", "kind:jab"),
        "text": "Moderator note. This thread is long and mostly good. Two requests: argue with "
        "the argument, not the person (#{c0} and #{c1} were both close to the line), and if "
        "you're answering someone, use the reply link, so people reading later can follow the "
        "conversation.",
    },
    {
        "at": 0.78,
        "author": "b",
        "cites": ("troops", "media:3", "geo_fix"),
        "text": "A few answers in one go, since the thread has outrun me.\n\n"
        "- @{c0}: I don't know, and I'd rather say so than guess. Estimates I trust range from "
        "two battalions to a brigade.\n"
        "- #{c1}: fair criticism, thank you. Two agencies carried the interview; the one that "
        "ran three paragraphs is not the one that wrote the summary. I've added a note to the "
        "post.\n"
        "- @{c2}: yes, western bank. The map shows the school.\n\n"
        "Thanks, all. This is the kind of thread the blog exists for.",
    },
    {
        "at": 0.97,
        "author": "kit",
        "cites": ("convoy",),
        "text": "A day and nearly three hundred comments later, Sefa still holds (#{c0}). "
        "Whatever else happens, that's something.",
    },
)
