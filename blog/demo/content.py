"""Demo content as plain data: users, categories, tags and posts.

Written for Riposte in the shape of the blogs it serves: one long analysis by
"b" that quotes officials and newspapers, and shorter posts around it. Every
country, person and publication here is invented. `blog.demo.loading` turns this
data into rows; nothing in this module touches the database.

Post bodies are Markdown. `published_ago` is subtracted from the time of loading,
so a negative value schedules a post in the future. A cover is drawn by
`blog.demo.images` from its seed, places and optional route; its alt text must
describe what that drawing shows.
"""

from datetime import timedelta

# Passwords are not data: `load_demo` sets one password on every account it creates.
USERS = (
    {
        "username": "admin",
        "display_name": "Site admin",
        "email": "admin@example.org",
        "group": None,
        "is_staff": True,
        "is_superuser": True,
    },
    {
        "username": "b",
        "display_name": "b",
        "email": "b@example.org",
        "group": "Authors",
        "is_staff": True,
        "is_superuser": False,
    },
    {
        "username": "hannah",
        "display_name": "Hannah Ortiz",
        "first_name": "Hannah",
        "last_name": "Ortiz",
        "email": "hannah@example.org",
        "group": "Authors",
        "is_staff": True,
        "is_superuser": False,
    },
    {
        "username": "moderator",
        "display_name": "Sam Keller",
        "first_name": "Sam",
        "last_name": "Keller",
        "email": "moderator@example.org",
        "group": "Moderators",
        "is_staff": True,
        "is_superuser": False,
    },
)

# (slug, name, description)
CATEGORIES = (
    ("analysis", "Analysis", "Long reads on wars, alliances and the interests behind them."),
    ("diplomacy", "Diplomacy", "Negotiations, summits and the signals sent between capitals."),
    ("media", "Media", "How newspapers, broadcasters and wire agencies report the news."),
    ("notes", "Notes", "Open threads, housekeeping and short notes from the authors."),
)

# (slug, name, description)
TAGS = (
    ("varenia", "Varenia", "The war in Varenia and the politics around it."),
    ("eastern-federation", "Eastern Federation", "The Federation's army, diplomacy and aims."),
    ("the-coalition", "The Coalition", "The Coalition, its command in the basin and its members."),
    ("kestany", "Kestany", "Varenia's northern neighbour and its shifting alliances."),
    ("energy", "Energy", "Gas fields, pipelines and who profits from them."),
    ("sanctions", "Sanctions", "Sanctions and blockades, and what they do to ordinary people."),
    ("diplomacy", "Diplomacy", "Talks, visits and communiqués, and what they leave out."),
    ("media-criticism", "Media criticism", "How the story gets told, and what gets left out."),
    ("open-thread", "Open thread", "News and views on topics not covered elsewhere."),
)

MAP_CAPTION = "Illustrative map, not to scale"

# ─── Post bodies (Markdown) ──────────────────────────────────────────────────

KESH_RIDGE_BODY = """\
The Varenian army spent most of the summer preparing a single move: a crossing of the Meral
river east of Dravany, followed by a push to the gas fields at Kesh Ridge. Whoever holds those
fields holds the only serious source of revenue left in the country, and with it the ability to
pay soldiers, import wheat and, one day, rebuild. Everyone involved knows this. That is why the
last three weeks have looked less like a military campaign than like a race.

The Coalition, which has kept a few hundred advisers in the east since the ceasefire two years
ago, answered the government's move with one of its own. It sent several thousand fighters of
the Ridge Brigades, a patchwork of tribal militias that until last spring paid tax to the Black
Banner movement, south along the old pipeline road. They travelled through country the Black
Banner still formally holds. They met, as far as anyone can tell, no resistance at all, and
reached the northern edge of Dravany in six days.

(The [sketch map of the basin](https://example.org/maps/dravany-basin) shows the lines as of
this week. It is a rough drawing, not a survey.)

## Three incidents in three weeks

The government side was still ahead when its offensive ran into trouble that had nothing to do
with the river.

First, a quiet front came alive. The hills west of Solvan have been covered by a de-escalation
agreement since the spring, with a small Federation monitoring team, forty-one officers and
signallers, posted on a ridge to watch both sides. On the night the bridging units began to
move, Black Banner fighters attacked along an eleven-kilometre stretch of that line, the first
serious assault there in five months. Within hours the monitors were nearly surrounded. They got
out only because a relief column forced a corridor through the attackers, at a cost the
Federation has not published.

Second, a command post was hit. A Federation lieutenant-general, in the basin to oversee the
crossing, was visiting a forward headquarters in a school building on the western bank when it
came under mortar fire. The first rounds landed within metres of the building; the third went
through the roof. He and two staff officers were killed. In four years of fighting around
Dravany the Black Banner has never shown that kind of accuracy against a target that moves, and
this target had arrived only forty minutes earlier.

Third, the supply road was cut. Last week a large force attacked the highway between Harran and
Dravany at the oasis town of Sefa, the one place where the road cannot be bypassed. If Sefa
falls, the government units on the eastern bank will be supplied by air or not at all.

Any one of these could be bad luck. Three in three weeks, each striking exactly where the
offensive was most exposed, is a pattern. The crossing has stalled, and the Ridge Brigades are
now moving, slowly and with little fighting, onto the first of the Kesh Ridge wells.

## What the Federation said

The Federation has complained before, first privately and then in public. This week it
complained at the highest level it has short of its president. Foreign Minister Ilya Sorokov
gave a long interview to the *Meridian Courier*, a paper normally friendly to the Coalition
that, perhaps for that reason, printed the sharpest passages only in its weekend print edition.
The Continental Press Agency [summarised them](https://example.org/wire/sorokov-interview):

> "We see the same sequence again and again. A strike that is later called an accident hits a
> government position, and within hours the Black Banner attacks exactly there. Coordinates we
> shared in good faith through the deconfliction line turn up in the hands of people who should
> never have them. We are told these are coincidences. We have stopped believing in coincidences
> of this kind," Sorokov said, adding that his government had "passed its concerns to the
> Coalition command on three occasions, in writing, and received no answer that addresses the
> substance."

It is hard to recall a foreign minister of a major power accusing another, on the record, of
passing targeting data to a group both of them list as terrorist. One might expect that to lead
the evening news. It did not. The big Coalition broadcasters ran nothing; one wire agency
carried three paragraphs that quoted the line about coincidences and left out the part about
written complaints.

The Federation's defence ministry went further the next morning:

> A ministry spokesman, Major-General Lev Tarasenko, said the force that attacked Sefa had
> assembled in the border zone around the Qarun crossing, inside the area where the Coalition
> keeps a training mission, and had moved on the town "with precise knowledge of the positions
> of government units, knowledge that can only come from aerial surveillance." He called the
> Coalition's conduct "a flirtation with terrorists" and said that "if this is repeated, the
> response will not be limited to statements."

The Coalition's reply, from its press office in the Kestany capital, was brief. Colonel Dana
Whitcombe said the Coalition "does not comment on operational details," that "the only forces we
support in the basin are those committed to defeating the Black Banner," and that the
allegations were "consistent with a pattern of disinformation." She took no questions.

## Weighing the claims

Caution is in order. The Federation is a party to this war, and its defence ministry is not a
neutral source; it has exaggerated before, notably about casualty figures during the siege of
Harran. Each incident has other possible explanations. The Black Banner has had years to place
informers inside government ranks. Mortar crews get lucky. A movement that has lost most of its
territory may still be able to mass a few hundred fighters for one last raid.

But an explanation has to cover all three incidents, their timing, and the remarkable fact that
the Ridge Brigades crossed sixty kilometres of Black Banner territory without a single reported
engagement. **The simplest account that fits every fact** is that information is flowing from
somewhere inside the Coalition's structure in the basin to the people attacking the government
side. That need not be policy made in the Coalition's capitals. It could be a field command
fighting its own war, a partner intelligence service with its own agenda, or a liaison officer
selling what he knows. In every one of those cases the deconfliction channel, which exists to
stop the two big outside powers from shooting at each other, has turned into a targeting
channel. That is dangerous in itself, whoever is responsible.

There is also a record to consider. Over the past two years the Coalition's regional command has
repeatedly acted ahead of, and now and then against, the line set by its own political leaders:
the strike on the Harran airfield that its defence secretary learned about from the news, the
unannounced expansion of the Qarun training zone, the "temporary" checkpoints on the pipeline
road that are still standing. A command used to acting on its own does not need orders to decide
that a government victory at Kesh Ridge would be bad for it.

## Where the diplomacy is happening

While the generals trade accusations, the diplomats have been unusually busy, and almost none of
it has made the Coalition's newspapers.

The Federation's president spent two days in Kestany last week, the first such visit in a
decade. At the same time the intelligence chief of Talvar, who rarely travels, was in the
Kestany capital too; three days later he turned up in Solvan. The ruler of Qadira, whose money
has kept half of the anti-government factions afloat for years, arrives in the Federation's
capital tomorrow with a delegation of two hundred, including his energy and finance ministers.
And Kestany's president, who two years ago called the Varenian government "a regime of
gravediggers," is now in Talvar for talks both sides describe as "warm."

These are the governments that pay for, arm, host or tolerate most of the armed groups in the
east. If they are moving toward a settlement among themselves, the race for Kesh Ridge matters
less than it seems, and whoever is trying to win it by sabotage is racing the calendar as much
as the Varenian army. That would also explain the hurry.

Meanwhile the Coalition's largest newspapers spent the week on a leaked remark by one of their
own ministers about a colleague's intelligence. It is a fine story. It is not the story.

## What to watch

Three things will show whether this calms down or gets worse:

1. **Sefa.** If the town holds for another week, the supply road stays open and the crossing can
   resume. If it falls, expect the Federation to escalate, probably from the air and probably
   against targets it has so far left alone.
2. **The deconfliction line.** The Federation has threatened before to stop sharing positions.
   If it actually does, the risk of an accidental clash between the two outside powers rises
   sharply, and so does the chance that someone decides a clash was not an accident.
3. **Who speaks for the Coalition.** If statements keep coming from a regional press office
   rather than from the Coalition's capitals, either its political leaders do not control their
   command in the basin or they do not wish to be seen to.

The Federation has now warned three times. It has a habit of staying patient longer than its
critics expect and then moving faster than its opponents are ready for. Nobody should count on a
fourth warning.
"""

OPEN_THREAD_BODY = """\
News and views on topics not covered elsewhere on the blog.

A few house rules, since the last thread got heated. Argue with the argument, not with the
person. To answer someone, use the reply link under their comment, or write `@` followed by the
comment's number (`@16`) and the blog will link it for you. If a comment crosses the line, flag
it instead of answering in kind; the moderators read every flag. And please quote your sources:
a link to what you read is worth more than a paragraph about what you think it said.

Some reading to start with:

- A long report on [grain prices in the port cities](https://example.org/reports/grain-prices),
  with tables that nobody has quoted yet.
- The transcript of last week's Kestany parliamentary debate on the border referendum, which
  says more about coalition arithmetic than about borders.
- A retired diplomat's memoir chapter on the first ceasefire talks, published free this week.
  Read it for the footnotes, which are better than the chapter.

What are you reading? What did we miss?
"""

QADIRA_TALKS_BODY = """\
The pipeline talks in Qadira ended on Thursday with a communiqué of eleven paragraphs, a
photograph of four ministers shaking hands and a promise to meet again "before the end of the
season." Most coverage stopped at the handshake. The document is worth reading to the end,
because the interesting parts are the things it does not say.

Start with what it does say. Paragraph four commits the parties to "study the technical
feasibility" of a line from the Kesh Ridge fields to the Qadira terminal. Paragraph seven
welcomes "the participation of all legitimate stakeholders." Paragraph nine, added late
according to two delegates, notes "the importance of stability along the route."

> "Nobody in the room believes a pipeline can be built through a war zone," one Qadiri official
> told the *Harbour Gazette* after the session. "The point of the text is to establish who will
> be sitting at the table when the war is over."

Now what is missing. The communiqué never names Varenia, although every kilometre of the
proposed route runs through Varenian territory. It never mentions the Federation, whose
companies hold the only surveyed rights at Kesh Ridge. And it is silent on transit fees, which
is where the money, and therefore the argument, will be.

"Legitimate stakeholders" is doing a lot of work. Read alongside the Coalition's support for the
Ridge Brigades, it suggests a plan in which the fields are held by a friendly militia, the
pipeline is financed from Qadira and the government in Solvan is simply left out. Read alongside
the Federation's quiet diplomacy in the Gulf, it could equally describe the opposite
arrangement.

The honest reading is that nothing has been decided, and that every party signed because vague
language cost them nothing. Watch paragraph nine. Whoever is trusted to provide "stability along
the route" will have won the argument long before any steel goes into the ground.
"""

WIRE_STORY_BODY = """\
On Monday morning a regional news site ran a story, citing "a local source," that government
artillery had shelled a market in the village of Tarsa. By Monday evening a wire agency had
picked it up, attributing it to "activists." On Tuesday two national papers in the Coalition ran
it, one citing the wire agency and the other citing "reports." By Wednesday a minister was
describing the shelling as "confirmed."

Nobody in that chain had been to Tarsa. Nobody had seen a photograph that could be placed there.
The only original claim was the local source, and the regional site has since removed the
article without a correction.

> "We run what the agencies run," an editor at one of the national papers said when asked about
> the story. "If they had doubts, they should have flagged them."

This is how a claim becomes a fact without ever being checked. Each outlet relies on the one
before it, and each step drops a little of the original uncertainty. "A local source said"
becomes "activists said" becomes "reports say" becomes "it is confirmed." The attribution gets
vaguer at every step while the story gets firmer.

None of this means the shelling did not happen. It may have. The point is that the reader had no
way of knowing, and neither, it turns out, did the minister.

Three habits would help. Name the original source, even if it is weak. Say when a claim has not
been independently checked, and keep saying it. And when a story falls apart, correct it as
prominently as it was published. None of these is expensive. All of them are rare.
"""

MAREN_GRAIN_BODY = """\
The port of Maren handles roughly a third of the grain that reaches Varenia by sea. Since the
Coalition's new sanctions package came into force in the spring, its traffic has fallen by more
than half, although grain itself is not on any sanctions list.

The mechanism is familiar from earlier wars. Food is exempt, but the banks that finance cargoes,
the firms that insure ships and the companies that own the cranes are not. A shipper who wants
to send wheat to Maren must now prove that no listed person profits at any point along the way.
Few lawyers will sign that opinion, so few ships sail.

> "Nobody has banned bread," a grain trader in Talvar told the *Continental Press Agency*. "They
> have simply made it too risky to be the person who delivers it."

The effects show up in prices before they show up in statistics. Bread in Solvan now costs
nearly three times what it did a year ago, and the government has cut the subsidised ration
twice. The people who feel it first are the ones with the least say in the war.

There is an argument for sanctions that accept this cost: that hardship weakens a government and
shortens a war. The record of the past thirty years does not support it well. Governments under
siege tend to take the food first and leave the shortage to everyone else.

A humanitarian licence for Maren, covering finance and insurance for food cargoes, would cost
the Coalition very little. That it has not been issued says something about what the sanctions
are for.
"""

COMMENTS_NOTE_BODY = """\
A short note on how the comment section works, because the threads here run long and some of you
have been with us since the old platform.

**Every comment has a number.** Numbers are given in posting order and never reused, so "see 42"
always means the same comment. Each comment also has its own link (the number itself), which you
can copy and paste anywhere.

**Replies are threaded.** Use the reply link under a comment and your answer appears beneath it.
If you prefer the old way, writing `@42` or `#42` in your comment still works: the blog turns it
into a link to comment 42. Readers can switch between the threaded view and a plain
chronological list.

**Names are reserved.** Once you register, nobody else can comment under your name or one that
merely looks like it. Impersonation was a real problem on the old platform; it is not possible
here.

**Moderation is visible.** We remove comments that are abusive, off topic in a way that derails
a thread, or spam. When a removed comment already has replies, a placeholder stays in its place
so the conversation still makes sense, and every moderator action is logged. If you think we got
it wrong, say so in the open thread.

Comments are closed on this note. Questions about it belong in the weekly open thread.
"""

KESTANY_VOTE_BODY = """\
Kestany votes next month on a constitutional amendment that would, in the words of its sponsors,
"secure the southern frontier." Outside the country it has been reported as a vote on annexing a
strip of Varenian territory. It is not quite that, and the difference matters.

The amendment does three things. It declares the border districts a "special security zone"
under direct control of the interior ministry. It allows the government to station troops up to
forty kilometres beyond the frontier "where the security of Kestany citizens requires." And it
obliges any future government to hold a referendum before withdrawing them.

The last clause is the real change. Troops that a government can withdraw are a bargaining chip.
Troops that only a referendum can withdraw are a fact on the ground.

> "We are not taking land," Kestany's interior minister told parliament. "We are making sure
> that no one can ever again use that land to attack us."

The government has the votes in parliament but is less sure of the public. Polling is sparse and
unreliable, but turnout in the border provinces, where many voters have family on the other
side, is likely to decide it.

For the wider war, the result matters less than the campaign. Kestany's president needs the
Coalition's support for the amendment and the Federation's acquiescence along the frontier. How
he balances the two in the next four weeks will say more about where Kestany is heading than the
vote itself.
"""

SOLVAN_DRAFT_BODY = """\
Notes for a longer piece; not ready.

Estimates for rebuilding Solvan range from forty to ninety billion, depending on who is counting
and what they count. Housing, water and power are the bulk of it. Nobody has priced the schools,
and nobody has asked how many of the engineers who would do the work are still in the country.

Who might pay:

- The Federation: wants the contracts, does not have the cash.
- Qadira: has the cash, wants a say in who governs.
- The Coalition: has said it will pay nothing while the current government stands, which may be
  the point.
- International lenders: will lend, with conditions the government will not accept.

Open question: does reconstruction money become the next front of the war? After the Harran
ceasefire, the first cranes that arrived decided which districts were rebuilt and which were
left as they were, and that map still matches the old front lines almost street by street.

To do: check the Harran precedent and the lenders' own figures before writing anything. Ask
Hannah about the Qadira fund.
"""

WINTER_GAS_BODY = """\
Winter arrives in the eastern basin in about eight weeks, and with it the season when gas stops
being an economic question and becomes a political one.

The arithmetic is simple. Before the war, the Kesh Ridge fields supplied most of the gas burned
in Varenian power stations and a growing share of Kestany's. Today they produce perhaps a fifth
of that, and what they produce is fought over. Whoever controls the wells in December controls
whether Solvan has electricity for four hours a day or twelve.

> "Every winter in this war has been decided by fuel before it was decided by guns," a former
> energy ministry official told the *Meridian Courier*.

Three scenarios are plausible. If the government retakes the fields, output recovers slowly,
since the Federation's engineers will need months to repair the compressors, and Solvan gets
through a hard winter. If the Ridge Brigades hold them, the gas flows north to Kestany and the
capital goes dark. If nobody holds them firmly, production stays near zero and everyone loses.

The least discussed factor is the weather. A mild winter would ease the pressure on all sides
and make a negotiated arrangement for the fields easier. A hard one would raise the stakes for
everyone, which is exactly when arrangements tend to collapse.
"""

# ─── Posts ───────────────────────────────────────────────────────────────────

# The long post a demo comment thread belongs to.
LONG_POST_SLUG = "varenia-three-warnings-and-the-race-for-kesh-ridge"

POSTS = (
    {
        "slug": LONG_POST_SLUG,
        "title": "Varenia: Three Warnings and the Race for Kesh Ridge",
        "author": "b",
        "category": "analysis",
        "tags": ("varenia", "eastern-federation", "the-coalition", "energy", "media-criticism"),
        "published_ago": timedelta(days=1, hours=2),
        "excerpt": "The Varenian army's push for the Kesh Ridge gas fields has stalled after three "
        "suspiciously well-aimed attacks. The Federation now says, on the record, where it "
        "thinks the information came from.",
        "cover": {
            "seed": 7,
            "places": (
                ("Solvan", 0.20, 0.35),
                ("Harran", 0.13, 0.62),
                ("Sefa", 0.36, 0.58),
                ("Dravany", 0.50, 0.42),
                ("Kesh Ridge", 0.66, 0.27),
            ),
            "alt": "Illustrative sketch map of the Dravany basin: Solvan, Harran, Sefa and "
            "Dravany west of a dashed red line of control, the Kesh Ridge gas fields east of "
            "it near the coast.",
        },
        "body": KESH_RIDGE_BODY,
    },
    {
        "slug": "weekly-open-thread",
        "title": "Weekly Open Thread",
        "author": "b",
        "category": "notes",
        "tags": ("open-thread",),
        "published_ago": timedelta(days=6, hours=5),
        "body": OPEN_THREAD_BODY,
    },
    {
        "slug": "the-qadira-pipeline-talks-read-the-communique-to-the-end",
        "title": "The Qadira Pipeline Talks: Read the Communiqué to the End",
        "author": "hannah",
        "category": "diplomacy",
        "tags": ("energy", "diplomacy", "varenia"),
        "published_ago": timedelta(days=19, hours=3),
        "cover": {
            "seed": 21,
            "places": (
                ("Kesh Ridge", 0.42, 0.30),
                ("Dravany", 0.26, 0.52),
                ("Maren", 0.80, 0.42),
                ("Qadira terminal", 0.67, 0.84),
            ),
            "route": ((0.42, 0.30), (0.50, 0.45), (0.58, 0.66), (0.67, 0.84)),
            "alt": "Illustrative map: a pipeline drawn in black from the Kesh Ridge gas fields "
            "across a dashed red line of control to the Qadira terminal on the coast; Dravany "
            "and Maren are also marked.",
        },
        "body": QADIRA_TALKS_BODY,
    },
    {
        "slug": "how-a-wire-story-became-confirmed-in-forty-eight-hours",
        "title": "How a Wire Story Became “Confirmed” in Forty-Eight Hours",
        "author": "b",
        "category": "media",
        "tags": ("media-criticism", "varenia"),
        "published_ago": timedelta(days=37, hours=7),
        "body": WIRE_STORY_BODY,
    },
    {
        "slug": "grain-sanctions-and-the-port-of-maren",
        "title": "Grain, Sanctions and the Port of Maren",
        "author": "hannah",
        "category": "analysis",
        "tags": ("sanctions", "the-coalition", "varenia"),
        "published_ago": timedelta(days=58, hours=4),
        "body": MAREN_GRAIN_BODY,
    },
    {
        "slug": "how-comments-work-here",
        "title": "How Comments Work Here",
        "author": "b",
        "category": "notes",
        "tags": (),
        "published_ago": timedelta(days=81, hours=9),
        "allow_comments": False,
        "body": COMMENTS_NOTE_BODY,
    },
    {
        "slug": "kestanys-border-vote-explained",
        "title": "Kestany’s Border Vote, Explained",
        "author": "hannah",
        "category": "analysis",
        "tags": ("kestany", "diplomacy", "the-coalition", "eastern-federation"),
        "published_ago": timedelta(days=112, hours=6),
        "body": KESTANY_VOTE_BODY,
    },
    {
        "slug": "who-will-pay-to-rebuild-solvan",
        "title": "Who Will Pay to Rebuild Solvan?",
        "author": "b",
        "category": "analysis",
        "tags": ("varenia", "eastern-federation"),
        "published_ago": timedelta(days=2, hours=1),
        "is_draft": True,
        "body": SOLVAN_DRAFT_BODY,
    },
    {
        "slug": "winter-gas-outlook-for-the-eastern-basin",
        "title": "Winter Gas Outlook for the Eastern Basin",
        "author": "hannah",
        "category": "analysis",
        "tags": ("energy", "varenia", "kestany"),
        # Scheduled: status published, publish time three days ahead.
        "published_ago": -timedelta(days=3),
        "cover": {
            "seed": 42,
            "places": (
                ("Kestany border", 0.30, 0.12),
                ("Solvan", 0.22, 0.45),
                ("Kesh Ridge", 0.55, 0.38),
                ("Dravany", 0.40, 0.62),
            ),
            "alt": "Illustrative map of the eastern basin: the Kesh Ridge gas fields sit on a "
            "dashed red line of control, with Solvan and Dravany to the west and the Kestany "
            "border to the north.",
        },
        "body": WINTER_GAS_BODY,
    },
)
