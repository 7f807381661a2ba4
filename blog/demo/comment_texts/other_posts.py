"""Comment texts for the demo posts other than the long one.

The weekly open thread is generated like the long thread from its own texts
(entries as in `kesh_ridge`: a text or (topic, text[, author])).
The other posts carry short scripted threads: (author, index of the line
answered or None, hours after publication, text); `{c3}` is the number of line 3
and `{name}` the name of the person answered.
"""

OPEN_THREAD_SLUG = "weekly-open-thread"

OPEN_OPENERS = (
    "Read the grain prices report. Table 4 is the one: port prices in Maren up by nearly two "
    "thirds since spring while the inland markets barely moved. That's not a harvest problem, "
    "that's a shipping problem.",
    "The memoir chapter is as good as b says. Footnote 31 alone, on who actually drafted the first "
    "ceasefire text, is worth the time.",
    'Can we talk about the Kestany debate transcript? Forty pages and the word "Varenia" appears '
    "twice. Everything else is about who gets which committee.",
    "Currently reading a history of the old pipeline road, written in the seventies by a surveyor "
    "who walked it. Out of print but worth hunting for: "
    "[catalogue entry](https://example.org/library/pipeline-road-survey).",
    "First time using the new reply button. Testing, testing. Does this thread properly now?",
    "Anyone else following the fishing dispute off Maren? Small story, but the same two navies "
    "are involved as in everything else.",
    "Podcast tip for long drives: the *Basin Dispatch* episode with the former relief logistics "
    "officer is the best hour on the supply problem I've heard. "
    "<https://example.org/audio/basin-dispatch-41>",
    "Off topic even for an open thread: Kestany just lost to Talvar four-nil at football, and "
    "their sports pages are treating it as a diplomatic incident.",
    "What happened to the commenter who used to post the weekly gas price table? I miss those.",
    "Book tip: *The Quiet Frontier* by M. Aldane. Fiction, but the best description of a border "
    "town under two flags I've read.",
    "The grain report's appendix on insurance premiums is the real scandal. Nobody needs to ban "
    "anything if insuring a ship costs more than the cargo.",
    "The retired diplomat's memoir says the first ceasefire collapsed over a mistranslated verb. "
    "I'd love to know which language and which verb.",
    "Reading the Kestany debate transcript so you don't have to: the opposition's whole case is "
    'that the government is "too close to everyone". That\'s their foreign policy.',
    "Recommend me something cheerful. Anything. This blog is great, but it is not cheerful.",
    "Some of you asked about the Harran archive project: the first batch of digitised municipal "
    "records is online. [Harran archive](https://example.org/archive/harran-municipal)",
    'The "How comments work" note is closed for comments, so I\'ll say it here: numbers and '
    "permalinks that never change are the best thing to happen to this site in years.",
    "Not reading anything, just here to say the thread layout works on my phone now. Replies no "
    "longer run off the right edge of the screen.",
    "Anyone have a good source for the Talvar side of things? Everything I read is written from "
    "Solvan, Kestany or the Coalition's capitals.",
    "Rereading last month's post on the Maren port. Has anything changed? Has anyone issued the "
    "humanitarian licence?",
    "Small thing, but thank you to whoever fixed the dates on the archive pages.",
)

OPEN_REPLIES = (
    (
        r"read|book|tip|podcast|https|report",
        "Thanks, adding it to the list.",
    ),
    (
        r"read|book|chapter|report|memoir",
        "Seconded. I read it on the train and missed my stop.",
    ),
    (
        r"book|history|surveyor|Frontier",
        "Which edition? The reprint cuts the maps, and the maps are the point.",
    ),
    (
        r"\?",
        "I asked the same thing last week. No answer yet.",
    ),
    (
        r"verb",
        'That verb has a literature of its own. It was "withdraw", and the whole fight was over '
        "whether it meant all troops or some troops.",
    ),
    (
        r"cheerful",
        "Not sure cheerful exists for this region. Try the birdwatching notes from the Meral "
        "delta; they're oddly calming: [Meral "
        "birds](https://example.org/nature/meral-delta-birds).",
    ),
    (
        r"reply|thread|permalink|layout",
        "Same here. Three years on the old platform and I never once found the replies to my own "
        "comments.",
    ),
    (
        r"insur",
        "I'd push back on that: the insurers are responding to risk, not creating it.",
    ),
    (
        r"insur|risk",
        "The risk is created by the sanctions lists, though. It's a circle.",
    ),
    (
        r"football|four-nil",
        "Four-nil is a diplomatic incident. I'd have recalled the ambassador.",
    ),
    (
        r"gas price table",
        "He posts on the Kestany forums now, under another name. Same tables.",
    ),
    (
        r"Table 4|port prices",
        "Has anyone checked that against the port authority's own numbers?",
    ),
    (
        r"port authority|Table 4",
        "The port authority stopped publishing in March, which is rather the point.",
    ),
    (
        r"archive|feed|https",
        "Good to know, thank you. Downloading the lot.",
    ),
    (
        r"licence",
        "Not yet, as far as I can tell. Nobody wants to be the minister who signs it.",
    ),
    (
        r"transcript|debate|forty pages",
        "You're a braver reader than me, {name}.",
    ),
)

OPEN_CHAINS = (
    {
        "label": "habits",
        "at": 0.3,
        "lines": (
            (
                "greyheron",
                "I'm going to keep writing @-numbers like on the old site and nobody can stop me.",
            ),
            ("quillon", "Nobody wants to stop you. They turn into links now. Try it."),
            ("greyheron", "@{parent} Well, I'll be. It's a link."),
            ("fennwick", "Welcome to the present, {name}."),
            ("greyheron", "The present has worse coffee."),
            ("quillon", "The present has permalinks. Swings and roundabouts."),
        ),
    },
)

OPEN_SET_PIECES = (
    {
        "at": 0.05,
        "author": "moderator",
        "text": "Moderator here. A reminder of the house rules in the post: argue with the "
        "argument, flag rather than fight, and quote your sources. Enjoy the thread.",
    },
    {
        "label": "choose",
        "at": 0.2,
        "author": "ruth",
        "text": "Honest question for the authors: how do you choose what to write about? There's "
        "been nothing on the Kestany elections in weeks.",
    },
    {
        "at": 0.26,
        "author": "hannah",
        "reply_to": "choose",
        "text": "Hannah here. Mostly by what nobody else is covering. The election has plenty of "
        "coverage; the border vote had almost none, so that's what I wrote about.",
    },
    {
        "label": "rss",
        "at": 0.4,
        "author": "ebb",
        "text": "Housekeeping question: is there a feed for comments? I follow three threads and "
        "refreshing is driving me mad.",
    },
    {
        "at": 0.45,
        "author": "quillon",
        "reply_to": "rss",
        "text": "Yes, {name}: every post has a comments feed, linked at the bottom of its thread, "
        "and there's one for all recent comments too.",
    },
)

# slug -> scripted thread
SCRIPTED = {
    "the-qadira-pipeline-talks-read-the-communique-to-the-end": (
        (
            "petra",
            None,
            2,
            'Paragraph nine is the one, agreed. "Stability along the route" is a job '
            "description. Somebody is applying for it.",
        ),
        (
            "K. Osei",
            0,
            3,
            "And the job pays in transit fees, which the communiqué carefully doesn't mention. "
            "Funny, that.",
        ),
        (
            "tomasz",
            None,
            5,
            "The Federation's surveyed rights at Kesh Ridge are older than the war. Any pipeline "
            "that ignores them is a pipeline to a lawsuit, or to something worse.",
        ),
        ("hollis", 2, 6, "Something worse, I'd say. The Federation doesn't litigate."),
        (
            "ardent",
            3,
            7,
            "It does, actually. It spent six years in arbitration over the Maren terminal, and "
            "won. Not everything is a tank, {name}.",
        ),
        (
            "Wrenfield",
            None,
            20,
            "Read it to the end as instructed. Paragraph eleven thanks the hosts for their "
            '"generous hospitality". That\'s the only paragraph everyone agreed on.',
        ),
        (
            "hannah",
            5,
            22,
            "Ha. Paragraph eleven is in every communiqué ever written. It's the one the junior "
            "staff are allowed to draft.",
        ),
        (
            "mapwatcher",
            None,
            30,
            "The route on the cover map crosses the line of control at its narrowest point. "
            "Either that's a coincidence or somebody's surveyors have been busy (cf. #{c0} on "
            "paragraph nine).",
        ),
    ),
    "how-a-wire-story-became-confirmed-in-forty-eight-hours": (
        (
            "rhodri",
            None,
            1,
            'This should be required reading in every newsroom. "A local source said" to '
            '"confirmed" in four steps is exactly how it goes, and I say that as someone who '
            "has been one of the steps.",
        ),
        ("Sable", 0, 2, "Confession appreciated. Which step were you?"),
        ("rhodri", 1, 3, 'The third. "Reports say." I\'m not proud of it.'),
        (
            "Half Empty",
            None,
            4,
            "Funny how this only ever gets written when the unchecked claim hurts the side the "
            "blogger likes.",
        ),
        (
            "ines",
            3,
            5,
            "b wrote this exact post about a Federation claim last year, the Harran one. Search "
            "is your friend.",
        ),
        ("Half Empty", 4, 6, "Fine. One post."),
        ("ines", 5, 6.5, "Three. I counted."),
        (
            "brenner",
            None,
            9,
            "The editor's quote is the whole scandal in one line: \"If they had doubts, they "
            'should have flagged them." Everybody is waiting for somebody else to check.',
        ),
        (
            "lena",
            7,
            10,
            "And the agencies say the papers should check, because the papers have the local "
            "stringers. It's responsibility all the way down.",
        ),
        (
            "old hand",
            None,
            26,
            "Twenty years at a wire agency. The fix b proposes costs nothing but pride: keep the "
            "original attribution in every rewrite. We used to. Then the style guide changed.",
        ),
        ("quillon", 9, 27, "Which year did the style guide change? I'd like to look it up."),
        (
            "old hand",
            10,
            29,
            "@{c10} The year the foreign desk was merged into the web desk. Make of that what "
            "you will.",
        ),
    ),
    "grain-sanctions-and-the-port-of-maren": (
        (
            "a reader in Maren",
            None,
            3,
            "I live in Maren. The cranes have been still since April and half the dockers have "
            "gone to the fishing boats. Thank you for writing about it.",
        ),
        (
            "cassius",
            0,
            4,
            "Sorry to hear it. Genuinely. The people who write sanctions never see the docks.",
        ),
        (
            "marguerite",
            None,
            6,
            "The humanitarian licence point is right. It was done for the northern ports in the "
            "last war, and it took one signature.",
        ),
        (
            "ardent",
            2,
            8,
            "And eighteen months to get that signature, if I remember right. Nobody in the "
            "Coalition wants to be the minister who eased sanctions.",
        ),
        ("marguerite", 3, 9, "Fourteen months. But yes."),
        (
            "Pilar",
            None,
            30,
            "Bread in Solvan at three times last year's price and the ration cut twice. Whoever "
            "the sanctions are aimed at, they're landing on the bakeries.",
        ),
    ),
}
