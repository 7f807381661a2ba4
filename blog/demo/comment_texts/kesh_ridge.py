"""Comment texts about the long post, "Varenia: Three Warnings and the Race for Kesh Ridge".

OPENERS start a conversation about the post; REPLIES answer someone (by the
reply link or by citing them); COMEBACKS are said to someone who answered one's
own comment; REBUTTALS are the long answers.

An entry is a text, or (topic, text) or (topic, text, author): the topic is a
pattern of words the comment answered should contain (None: any comment), and
the author the commenter the text belongs to (it says where they live or what
they did), given by key.
"""

OPENERS = (
    "Thanks b. The part that stays with me is the Ridge Brigades covering sixty kilometres of "
    "Black Banner country in six days without a shot fired. Armies don't move like that through "
    "hostile ground. Tourists do.",
    "Three warnings now. How many does the Federation intend to give before it stops writing "
    "letters?",
    "So the foreign minister of a major power accuses the Coalition, on the record, of feeding "
    "coordinates to a listed terrorist group, and the evening news leads with a minister's leaked "
    "remark about a colleague. I'd laugh if it weren't so predictable.",
    "Where do the Black Banner's fighters come from at this stage? They've lost most of their "
    "territory. Who pays them, who feeds them, who gives them diesel for a raid on Sefa?",
    "The mortar strike is the detail everyone will argue about, but the Solvan hills attack is "
    "the one that worries me. Forty-one monitors nearly surrounded on a front that had been quiet "
    "since spring. Somebody picked that night.",
    "Good piece, and more careful than most. I'd only add that the Federation's ministry said "
    "very similar things about Harran and was wrong about most of it. Treat Tarasenko's statement "
    "as a claim, not a finding.",
    "Sefa is the whole thing. Look at the [sketch map](https://example.org/maps/dravany-basin): "
    "one road, one oasis, no way around. If it falls, the eastern bank is an island.",
    "Note that the *Meridian Courier* printed the sharpest passages only in the weekend print "
    "edition. A paper doesn't hide its own scoop unless someone asked it to, or it asked itself.",
    'Whitcombe "took no questions." That tells you more than the statement did.',
    "I've read the Continental Press Agency summary twice and it is a lot less dramatic than this "
    'post makes it sound. "We have stopped believing in coincidences" is diplomat for "we are '
    'annoyed", not an accusation of treason.',
    "The deconfliction line turning into a targeting line is the scariest sentence I've read this "
    "month. That channel is the only thing keeping two big air forces from shooting at each other.",
    "The Coalition's regional command acting ahead of its own politicians isn't news to anyone "
    "who followed the Harran airfield business. Their defence secretary found out from the radio. "
    "Why would this time be different?",
    'Kestany\'s president called Solvan "a regime of gravediggers" two years ago and is now '
    'having "warm" talks in Talvar. Politics is a wonderful thing.',
    '"The simplest account that fits every fact." Fine. But the simplest account is not always '
    "the true one. Sometimes three bad weeks are just three bad weeks.",
    (
        None,
        "I live about two hours from the Qarun crossing (on the far side of it, before anyone "
        "asks). The training zone has grown every year. Nobody here has ever been told what is "
        "trained there.",
        "yusuf",
    ),
    "Has anyone else noticed that the Coalition now answers everything from its press office in "
    "the Kestany capital? The last three statements on the basin all came from there, none from a "
    "minister.",
    "The wells at Kesh Ridge are the only thing in that country worth fighting over. Everything "
    "else in this post follows from that. Follow the gas.",
    'Honest question: how does a militia that "paid tax to the Black Banner until last spring" '
    "become a Coalition partner in one season? Did they change their minds or just their "
    "paymaster?",
    "Whoever wins the race for the wells, the people of Dravany lose it. Four years of this.",
    'Excellent summary. Bookmarked for the next time someone tells me the basin is a "frozen '
    'conflict."',
    "My bet is the liaison officer. It is always the boring explanation: someone with access and "
    "debts.",
    "The absence of this story from the big broadcasters is itself the story. Three paragraphs "
    "from one wire agency, and even those cut the line about the written complaints.",
    "What about the Qadira money? The ruler has funded half the anti-government factions for "
    "years and now arrives in the Federation's capital with his energy and finance ministers. "
    "Somebody is changing horses.",
    'People keep saying "the Federation will respond." Respond how? It can\'t close the '
    "deconfliction line without risking exactly the accident it is warning about.",
    "This blog was the only place I read about the monitors in the Solvan hills. Not one line in "
    "my morning paper. Thank you.",
    "Another long post that takes the Federation's word for everything and the Coalition's word "
    "for nothing. I've read this blog for years and the pattern is getting tiresome.",
    'The comparison nobody wants to make is Harran. Same river, same road, same "coincidences", '
    "and in the end a ceasefire neither side kept.",
    'Mortar crews don\'t "get lucky" three rounds running onto a building they have never '
    "ranged. Either they had the grid or they had an observer. Both mean somebody told them.",
    "I'd love to know what the Coalition's own parliament makes of this. Has anyone asked a "
    "single question there?",
    "The post says a field command fighting its own war would need no orders. It would still need "
    "money, fuel and air cover, and those come from capitals.",
    (
        None,
        "From a friend in Solvan: bread queues again this week, the first since spring. Whatever "
        "happens at Kesh Ridge, the city feels it first.",
        "ottoline",
    ),
    "Why would the Black Banner help the Ridge Brigades take the wells? Whoever holds the wells "
    "will turn on them next. Unless the deal includes a cut.",
    (
        None,
        "I keep a log of the Federation's warnings since the ceasefire. This is the ninth I'd "
        "call serious and the third at ministerial level. It's here if anyone wants it: [warnings "
        "log](https://example.org/sheets/federation-warnings).",
        "thornbury",
    ),
    "Great post. Shame about the comment section it's going to get.",
    "The *Harbour Gazette* says the Ridge Brigades paid cash for their passage through the Black "
    "Banner villages. That would explain the lack of fighting without anyone leaking anything: "
    "<https://example.org/gazette/ridge-brigades-passage>",
    'A question for the military people here: how hard is it to move "several thousand '
    'fighters" down the old pipeline road without being seen from the air? Because somebody saw '
    "them, and said nothing.",
    'The real test is point 3 under "What to watch". If the Coalition\'s capitals stay quiet '
    "another week, we'll know who is running the basin.",
    "Meanwhile the gas price in Kestany fell for the third week running. The markets seem to "
    "think somebody already knows who gets the wells.",
    'b, you write that the Federation "has exaggerated before." Understatement of the year. But '
    "fair of you to say it at all; most people on either side never do.",
    (
        None,
        "Reading this from Dravany. The power has been on for six hours a day since the crossing "
        "stalled. Nobody here cares who leaked what. We care whether the road to Sefa stays open.",
        "Ivo",
    ),
    "If the Qarun training mission is where the Sefa force assembled, there will be satellite "
    "pictures. The Federation has them or it doesn't. Publish them.",
    "Four paragraphs on diplomacy and not one word on Talvar's interest in the wells. The "
    "intelligence chief doesn't fly to Solvan for the weather.",
    "Every war in the basin has ended the same way: the outsiders make a deal and the locals are "
    "told about it afterwards. This one is heading the same way, just faster.",
)

REPLIES = (
    (
        r"mortar|timing|luck|school|headquarters|night",
        "Agreed, and I'd go further: the timing matters more than the accuracy. Anyone can get "
        "lucky once. Nobody gets lucky on schedule.",
    ),
    (
        r"Federation|leak|incident",
        "You're assuming the Federation's account of the three incidents is accurate. It is the "
        "only account we have. That is not the same thing.",
    ),
    "That's exactly what the Coalition press office would like you to think.",
    "Where did you read that? I've looked and can't find it anywhere except a forum post.",
    (
        r"Harran|casualt|exaggerat|ministry|Tarasenko",
        "No. The Federation was wrong about casualty figures at Harran; that doesn't make it "
        "wrong about coordinates now.",
    ),
    "Fair point, though it doesn't explain the Ridge Brigades' stroll down the pipeline road.",
    "I used to think that too. Then I read the wire copy from the Harran airfield strike, the one "
    "the defence secretary heard about on the news, and stopped.",
    (
        r"leak|mortar|headquarters|school|coordinates|observer",
        "The Black Banner doesn't need a leak to know where a headquarters is. It needs a boy "
        "with a phone on a rooftop. That's how it has worked for four years.",
    ),
    "And who benefits if the crossing stalls? Start there.",
    (
        r"Coalition",
        "Fine, but then why won't the Coalition say so? \"We do not comment on operational "
        'details" is what you say when the details are bad.',
    ),
    "I don't disagree with your conclusion, only with how sure you are of it.",
    (
        r"leak|informer",
        "You're both right, which is the annoying part. There is a leak, and there are informers. "
        "They aren't mutually exclusive.",
    ),
    "That's a lot of certainty built on a sketch map and a press statement.",
    (
        r"Harran",
        "I remember the Harran coverage well, and yes, the ministry inflated the numbers. It also "
        "turned out to be right about the supply route. Both things are true.",
    ),
    (
        r"Coalition|capital|order|policy",
        "Nobody is saying the Coalition's capitals gave the order. Read the post again: field "
        "command, partner service, or a liaison officer selling what he knows.",
    ),
    (
        r"deconfliction|channel|coordinates|leak",
        "The deconfliction channel has leaked since day one and both sides know it. That's why "
        "neither ever sends anything precise down it, or so I was told by someone who should know.",
    ),
    (
        r"diplomac|visit|Talvar|Qadira|settlement",
        "Not sure the diplomacy and the fighting are connected the way you think. Diplomats "
        "travel. It's what they do.",
    ),
    (
        r"Coalition|Whitcombe|statement",
        'Ah yes, "consistent with a pattern of disinformation." The Coalition\'s answer to '
        "everything since the ceasefire.",
    ),
    (
        r"respond|response|warning|retaliat|next step",
        "I'll believe in the Federation's \"response\" when I see it. Until then it's a press "
        "release in uniform.",
    ),
    (
        r"Ridge Brigades|Black Banner",
        "Why do you assume the Black Banner and the Ridge Brigades are still enemies? Half of "
        "them were the same men last year.",
    ),
    (
        r"wells|gas",
        "Your point about the wells is the right one. Everything else is noise around who sells "
        "gas in December.",
    ),
    (
        r"mortar|school",
        "Honestly, I think you're reading far too much into a school building and a mortar.",
    ),
    (
        r"paper|broadcaster|news|media|Courier",
        "Same experience here. I asked my local paper why it didn't run the Sorokov interview. No "
        "reply.",
    ),
    "You may be right, but the Sefa attack came from the direction of the Qarun crossing. Even "
    "the Coalition hasn't denied that part.",
    (
        r"Sorokov|interview|CPA|Continental|coincidence",
        "Have you actually read the Continental Press Agency summary? The written complaints are "
        "in it, third paragraph.",
    ),
    (
        r"Ridge Brigades|militia|Brigades",
        "That's a very charitable reading of a militia commander who was paying tax to the Black "
        "Banner eight months ago.",
    ),
    (
        r"leak|Coalition",
        "I'd put it differently: the Coalition doesn't need to leak anything if the people it "
        "trains do it for them.",
    ),
    "Neither of us knows. That's the honest answer, and it's a lot rarer in this thread than it "
    "should be.",
    'Careful. "Everybody knows" is how the Tarsa market story got "confirmed".',
    (
        r"patien|respond|warning",
        "The patience argument cuts both ways. The Federation was patient at Harran too, and then "
        "the airfield burned.",
    ),
    (
        r"Coalition",
        'You keep saying "the Coalition" as if it were one thing. The press office, the '
        "regional command and the capitals have three different interests.",
    ),
    "I'd be interested in your source for that. Not trying to catch you out; I'd just like to "
    "read it.",
    (
        r"https://",
        "Thanks for the link. Grim reading, but it fills the gaps in the post.",
    ),
    "If that were true the Ridge Brigades would have taken the wells a week ago. They're "
    "crawling. Something is holding them up too.",
    "Same old argument. Every setback is a conspiracy, every success is the Federation's genius.",
    "I'm with {name} on this one, for once.",
    'Not what the post says, {name}. Read the fourth paragraph of "Weighing the claims" again.',
    (
        r"leak|policy|officer|command",
        "Policy or rogue officer, the result on the ground is the same, and that's what the "
        "people in Dravany have to live with.",
    ),
    (
        r"phone|rooftop|balcony|informer|luck",
        "Sorry, but a boy with a phone doesn't get you the third round through the roof. Mortars "
        "need adjusting, and adjusting needs eyes on the target.",
    ),
    (
        r"Black Banner",
        "I think you underestimate how well the Black Banner knows that terrain. They were there "
        "before the Coalition arrived and they'll be there after it leaves.",
    ),
    (
        r"Sefa",
        "Sefa has held twice before. It will hold again if the air bridge works. That's a big if.",
    ),
    "The Kestany angle is missing from this whole thread. Kestany's army sits on the other side "
    "of the Qarun crossing. Nothing moves there without Kestany knowing.",
    (
        r"Federation|Sorokov|complain",
        "Which is exactly why the Federation went public. Private complaints get filed. A "
        "minister in a newspaper doesn't.",
    ),
    "That's not a rebuttal, {name}, that's a mood.",
    (
        r"Sefa|raid|attack",
        "I'd add the fuel. A raid on Sefa with a few hundred men needs trucks and diesel. Where "
        "did the diesel come from?",
    ),
    (
        r"leak|informer",
        "We've had this exact argument under every post since the ceasefire. I'll save us both "
        "the time: you think it's a leak, I think it's informers, and neither of us will move.",
    ),
    (
        r"map|bank|line",
        "The sketch map is approximate, as the post says. I wouldn't build a theory on where "
        "exactly the line is drawn.",
    ),
    (
        r"Courier|print",
        "Nope. The Courier runs its sharpest material in print because its print readers are the "
        "ones who vote. It has done that for years; it isn't a cover-up.",
    ),
    (
        r"patien|Federation",
        "Agree with most of that, except the Federation's patience. I think it's patience forced "
        "by an overstretched army, not a virtue.",
    ),
    "That's been said three times upthread already and nobody has answered it, which tells you "
    "something.",
    (
        r"hills|timing|coinciden|luck|night",
        "Look at the dates. The Solvan hills attack came the same night the bridging units moved. "
        "Not the day after. The same night.",
    ),
    "I'm not defending the Coalition. I'm defending the idea that we should know something before "
    "we say we know it.",
    (
        r"diplomac|Talvar|visit|Kestany|Qadira",
        "Interesting. Do you have anything on the Talvar intelligence chief's trip to Solvan? "
        "That's the one visit nobody has explained.",
    ),
    (
        r"mortar",
        "Everyone in this thread is an expert on mortars all of a sudden.",
    ),
    (
        r"Sefa|road",
        "My cousin drove the Harran road in the spring. Even then Sefa was the place everybody "
        "was nervous about. None of this is a surprise to anyone who lives there.",
        "daud",
    ),
    (
        r"wells|Brigades",
        "You're right about the wells and wrong about the Brigades. They don't want to hold gas "
        "fields; they want to be paid to hold them.",
    ),
    (
        r"leak|coordinates|general|informer",
        "Does it matter? Whoever passed the coordinates, the general is just as dead.",
    ),
    (
        r"Coalition",
        "I'd like to believe you. I just don't see anything in the Coalition's record that earns "
        "the benefit of the doubt.",
    ),
    (
        r"deconfliction|respond|line",
        "If the Federation cuts the deconfliction line, everything you describe gets worse, not "
        "better. That's the bind it's in.",
    ),
    "With respect, {name}, you said the opposite under the Qadira post last month.",
    (
        r"mortar|school|general|headquarters",
        "The forty minutes is what gets me. Forty minutes from arrival to the first round. That "
        "is someone on a radio, not someone on a rooftop.",
    ),
    "I think the post is too kind to the Federation and you're too kind to the Coalition. "
    "Somewhere in between is a war nobody is telling the truth about.",
    (
        r"timing|night|minutes|schedule",
        "You've convinced me on the timing. Not on the rest.",
    ),
    "Right, and that's the part the broadcasters will never run, because it needs a map and five "
    "minutes.",
    (
        r"Qarun|training|Coalition",
        'The training mission at Qarun has been "temporary" for three years. So have the '
        "checkpoints. Temporary is the Coalition's favourite word.",
    ),
    (
        r"Federation",
        "Half of what you say is fair. The other half is the Federation's press office with the "
        "serial numbers filed off.",
    ),
    (
        r"leak|informer",
        "Both of you are arguing about who leaked. Nobody is asking why the Federation still "
        "shares positions at all after the first time.",
    ),
    (
        r"Courier|print|paper",
        "I had the same reaction, then remembered that the Courier's weekend editor is a former "
        "ministry spokesman. Make of that what you will.",
    ),
    (
        r"Coalition|Qarun|training",
        "Quite. And note the Coalition never denied the training zone was expanded. It only said "
        "it doesn't comment.",
    ),
    (
        r"leak|help|coordinates|observer|told",
        "Not convinced. The Black Banner has surprised everyone before, without help from anybody.",
    ),
    "So your theory is that every army in the basin is lying except the one you like?",
    (
        r"Sefa|Black Banner",
        "Interesting that you should say that. The Sefa attack was the largest the Black Banner "
        "has mounted since it lost Dravany. Where was it keeping those men?",
    ),
    (
        r"liaison|leak|informer",
        "A liaison officer selling what he knows would explain the Solvan hills and the "
        "headquarters. It would not explain Sefa. That needed surveillance, not gossip.",
    ),
    (
        r"command|Coalition|order|capital",
        "Exactly the point b makes about a command used to acting on its own. It doesn't need a "
        "memo.",
    ),
    "And if Sefa falls, none of this argument will matter by Friday.",
    (
        r"Sorokov|interview|minister",
        "A foreign minister on the record is not nothing. Whatever you think of the Federation, "
        "Sorokov chose his words and his newspaper.",
    ),
    "I'd want to see that from a second source before I believed a word of it.",
    (
        r"Ridge Brigades|pipeline road",
        "The pipeline road has been a smuggling route since before the war. If you know the right "
        "people it's a motorway, Black Banner or no Black Banner.",
    ),
    (
        r"Kestany",
        "Kestany has played every side in this war at least twice. It isn't a mystery, it's a "
        "business model.",
    ),
    (
        r"monitor|hills|Solvan",
        "Forty-one people on a ridge, and the only reason they're alive is a relief column nobody "
        "will talk about. That should be the headline.",
    ),
    "You're not wrong, but you're not saying anything the post didn't say better.",
    (
        r"Coalition",
        "The Coalition's politicians want out of the basin and its generals want in. That's the "
        "whole story, and it has been for two years.",
    ),
    (
        r"Federation",
        "If the Federation had proof, it would have published it. It published adjectives.",
    ),
    (
        r"Federation",
        "It published what it could without burning its own sources. That's normal. Nobody shows "
        "their hand in a press release.",
    ),
    (
        r"wells|gas|Kesh",
        "Nobody fights this hard over fields that produce a fifth of what they used to, unless "
        "they expect to be the ones repairing them.",
    ),
    (
        r"Sefa|road",
        "The road matters more than the wells this month. No road, no army on the eastern bank, "
        "no argument about who gets the gas.",
    ),
    "I read it the same way. Glad it isn't just me.",
    "That's a very tidy theory. Wars aren't tidy.",
    (
        r"media|news|paper|broadcast",
        "The papers will get to it the week it stops being news. They always do.",
    ),
    (
        r"Qadira",
        "Qadira's money has bought every side in this war at one point or another. The only "
        "question is what it's buying this month.",
    ),
    (
        r"Talvar",
        "Talvar's intelligence chief doesn't travel for talks. He travels to deliver something, "
        "or to collect it.",
    ),
    (
        r"mortar|school|general",
        "A general whose visit is known forty minutes ahead is a general who trusts his own side "
        "too much. That's a lesson, not a conspiracy.",
    ),
    "You've said this before, and it wasn't convincing then either.",
    (
        r"leak|informer|coordinates",
        "Leaks don't need villains. They need one tired officer and an unencrypted phone.",
    ),
    (
        r"Harran",
        "Harran taught everybody the wrong lesson. The Federation learned to wait; the Coalition "
        "learned that nobody would ask questions.",
    ),
    "Fair, but the post asks a narrower question than the one you're answering.",
    (
        r"warning|respond|retaliat",
        "Warnings are for the audience at home as much as for the Coalition. Count them that way "
        "and the number makes more sense.",
    ),
    (
        r"Black Banner",
        "The Black Banner has always been whatever its sponsors of the month needed it to be. "
        "That's why it's still around.",
    ),
    "Genuinely curious: what would change your mind?",
    (
        r"deconfliction|channel|line",
        "The day the line goes quiet is the day everyone on the ground should start digging.",
    ),
    (
        r"Coalition|Whitcombe",
        "A colonel in the Kestany capital answering for the whole Coalition. If that isn't a sign "
        "of who's in charge, I don't know what is.",
    ),
)

COMEBACKS = (
    'Point taken. I withdraw "always". "Usually" stands.',
    "That's fair, and I should have put it more carefully.",
    'I said "possibly", {name}, not "certainly". Read it again.',
    "You're putting words in my mouth. I never said the Coalition ordered anything.",
    "Fair enough. We'll see who's right by the end of the week.",
    "That's not what I wrote.",
    "We'll have to disagree on this one.",
    "I'll take that. Thanks for the correction.",
    "Show me where I said that.",
    "You've answered a comment I didn't write, but it's a good answer.",
    "No, my point was narrower than that: the timing, nothing else.",
    "Read my comment again, {name}. I said it was one possibility among several.",
    "Ha. Fair hit.",
    "I knew someone would say that. I still think I'm right.",
    "That's a better way of putting it than mine.",
    "If you have a better explanation for Sefa, I'm listening.",
    "OK, you've half convinced me. The other half needs a source.",
    "I'm not defending anyone. I asked a question.",
    "Yes, and I said so two comments up.",
    "Thanks. That was the point I was fumbling for.",
    "Not quite what I meant, but close enough.",
    "Granted. It doesn't change my conclusion, though.",
)

REBUTTALS = (
    (
        r"mortar|hills|Sefa|three",
        "Let me take this piece by piece, because I think you're running three different claims "
        "together.\n\nFirst, that the mortar strike needed outside help. Possibly. But the school "
        "had been used as a headquarters for months, and every family on that street knew it.\n\n"
        "Second, that the Solvan hills attack was timed to the crossing. Also possible. But the "
        "bridging units had been parked on the riverbank for a week; you didn't need a spy to "
        "know they were about to move.\n\nThird, Sefa. This is the strongest of the three, and "
        "even there the Federation's only evidence is its own spokesman. Put them together and "
        "you get a pattern, yes. You also get a pattern if you line up any three bad weeks in any "
        "war.",
    ),
    (
        r"Harran|record|propaganda|ministry|source",
        "I've been reading this blog for a long time and I'll say what I think, {name}: you're "
        "not wrong about the Federation's record, but you're using it as a reason not to look at "
        "anything.\n\nThe Federation lied about Harran. It also told the truth about the airfield "
        "strike, which the Coalition denied for three months and then admitted in a footnote. "
        "Sources aren't good or bad; claims are checked or unchecked.\n\nHere the claim can be "
        "checked. Either the Sefa force came out of the Qarun zone or it didn't. Either there are "
        "aerial pictures or there aren't. Ask for them. That's more useful than reciting the "
        "casualty figures from two years ago.",
    ),
    (
        r"wells|gas|Kesh Ridge",
        "With respect, this is backwards.\n\nYou say the Coalition has no interest in a "
        "government defeat at Kesh Ridge because the fields would be useless to it. The fields "
        "are not useless to the Ridge Brigades, whom the Coalition pays, or to Kestany, which "
        "buys the gas, or to Qadira, which wants the pipeline. The Coalition doesn't need to want "
        "the wells. It needs to want the people who want them to keep liking it.\n\nThat's how "
        "proxy wars work. The sponsor's interest is the proxy's loyalty, and loyalty is bought "
        "with whatever the proxy wants. Here, that's gas.",
    ),
    (
        r"deconfliction|coordinates|channel",
        "I served two tours with a deconfliction cell, on the other side of a different war, so "
        "let me explain why your scenario doesn't work.\n\nNobody sends exact unit positions down "
        'a deconfliction line. You send boxes: "we will be operating in this area between these '
        "hours.\" A box tells you where not to bomb. It doesn't tell a mortar crew which building "
        "to hit.\n\nSo if the headquarters was hit because of the channel, someone combined the "
        "box with something else: an observer, a drone, a phone. That's the interesting question, "
        "and it's the one nobody in this thread has asked.",
        "oldsalt",
    ),
    (
        r"lie|lying|both sides|trust|believe",
        'No, and I\'m a bit tired of this line of argument.\n\n"Both sides lie" is true and '
        "useless. Both sides do lie. But the question the post asks is narrower: did information "
        "move from the Coalition's side to the people attacking the government? You can answer "
        "that without deciding who the good guys are.\n\nLook at the three things b lists under "
        '"What to watch". None of them requires you to trust the Federation. They require you '
        "to watch a town, a phone line and a press office. We'll know soon enough.",
    ),
    (
        r"leak|informer|coincidence",
        "I'm from the basin, so forgive me if I'm less interested in who wins the argument here "
        "than in what happens next.\n\nWhen the crossing stalled, the price of flour in Dravany "
        "went up by a third in two days. When the Sefa road was cut, the hospital started "
        "rationing fuel for the generators. My sister works there.\n\nYou can all decide later "
        "whether it was a leak or bad luck. The road needs to be open this week. That's the only "
        "thing that matters to anyone who lives there, and it's the only thing nobody in this "
        "thread has mentioned.",
        "daud",
    ),
    (
        r"informer|phone|cousin|balcony|rooftop",
        "You've made this point in three comments now, {name}, so let me answer it properly.\n\n"
        "Yes, the Black Banner has informers in the government army. Everybody does. The "
        "Federation itself admitted last year that it had lost a battery to a man selling "
        "positions for cigarettes.\n\nBut informers inside the government army would know "
        "government positions. They would not know the Federation general's movements, which were "
        "handled by his own staff. They would not know where the Federation's monitors were on "
        "the ridge either; those positions were shared with exactly one other party, through "
        "exactly one channel. That's the point of the post, and \"informers\" doesn't touch it.",
    ),
    (
        r"broadcaster|news|paper|media|Courier",
        "I disagree with almost all of this, but I'll stick to one thing: the media.\n\nYou say "
        "the broadcasters ignored Sorokov because they are told what to cover. I worked in a "
        "newsroom for twelve years. Nobody tells anybody anything. What happens is worse: the "
        "foreign desk has one person on a Tuesday night, a wire summary with no pictures, and a "
        "ministerial insult with a video clip. Guess which one runs.\n\nThat's not a conspiracy. "
        "It's a budget. It has the same effect, and it's much harder to fix.",
        "rhodri",
    ),
    (
        r"simplest|pattern|plot|coincidence",
        'The trouble with "the simplest account that fits every fact" is choosing which facts '
        "count.\n\nAdd these: the Black Banner has been losing ground for two years and needs a "
        "spectacular to keep its recruits. The government army is stretched along a river with "
        "one supply road. The Federation general was, by several accounts, careless about his "
        "movements. Now the simplest account is a weakened movement making a last bet where its "
        "enemy is thinnest.\n\nI'm not saying that's right. I'm saying \"simplest\" depends on "
        "what you put in the pile.",
    ),
    (
        r"blog|this post|tiresome|Federation's word",
        "{name}, I think you're being unfair to b here.\n\nThe post says, in so many words, that "
        "the Federation is not a neutral source and has exaggerated before. It lists the other "
        "explanations. It says the leak need not be policy. That is more caution than any "
        "Coalition paper has shown on this story in either direction.\n\nYou can disagree with "
        "the conclusion. But \"takes the Federation's word for everything\" is not what's on the "
        "page, and the people reading this thread can scroll up and check.",
    ),
    (
        r"Coalition",
        "Let me try to make the case for the Coalition, since nobody else is going to.\n\nIt has "
        "a few hundred advisers in the east, spread thin, working with militias it doesn't "
        "control. It has every reason to keep the deconfliction line working, because its own "
        "advisers are the ones who'd be hit first if it broke. And it has a political leadership "
        "that wants out of the basin, not deeper in.\n\nDoes that prove nobody in its structure "
        'leaked? No. But "the Coalition" as a deliberate actor makes very little sense. Look '
        "for a person, not a policy.",
    ),
    (
        r"respond|warning|retaliat|patien",
        "Two years ago, under the Harran posts, half this comment section was sure the Federation "
        'would "respond" within a week. It didn\'t. It waited eight months and then did '
        "something nobody predicted, in a place nobody was watching.\n\nSo I'd be careful with "
        'both of the usual predictions. "They\'ll strike back" and "they\'re bluffing" were '
        "both wrong last time. If the past is any guide, the answer will come from the diplomats "
        "first, and from the army only if the diplomats fail.\n\nWatch Kestany. That visit wasn't "
        "for the photographs.",
    ),
    (
        r"diplomac|Kestany|Talvar|Qadira|visit",
        "I want to push back on the idea that the diplomacy section is a side story.\n\nCount the "
        "governments b lists: Kestany, Talvar, Qadira. Between them they host, fund or arm nearly "
        "every armed group in the east, including, by most accounts, the people who attacked "
        "Sefa. If they are settling among themselves, the fighters on the ground will be told to "
        "stop or will be cut off.\n\nThat makes the next few weeks a race, but not the one in the "
        "title. It's a race between the people trying to change facts on the ground and the "
        "people trying to make those facts irrelevant. The mortar and the Sefa road are what the "
        "first race looks like from the ground.",
    ),
    (
        r"Whitcombe|propaganda|disinformation|press office",
        "I've lurked here for years and this is the comment that finally got me to write one, "
        '{name}, so congratulations.\n\nYou call this "Federation propaganda" and then cite a '
        "Coalition press statement as if it settled something. Whitcombe's statement contains no "
        "facts at all: no denial that the Sefa force came through the Qarun zone, no denial that "
        "positions were shared, no denial of anything. It says the Coalition doesn't comment and "
        "that the accusations are disinformation.\n\nThat isn't an answer. If it were the "
        "Federation saying it, you'd be the first to point that out.",
        "Wrenfield",
    ),
)
