"""The demo desk: actors, sources, three articles we wrote from public facts, and claims.

The articles are our own short write-ups of widely reported events of 2022: the
cyberattacks on Albania's government services, their attribution to Iran, Tehran's
denial, the US sanctions on Iran's Ministry of Intelligence, and Albania's hosting of
the MEK.
"""

USERS = [
    # username, groups, superuser
    ("rita", ["researcher"], False),
    ("oscar", ["researcher"], False),
    ("vera", ["reviewer"], False),
    ("victor", ["reviewer"], False),
    ("edith", ["editor"], False),
    ("bora", ["reviewer"], False),
    ("admin", [], True),
]
PASSWORD = "claimdesk-demo"

# Two desks: oscar works in both, with different roles; bora sees the Balkans desk only.
PROJECTS = [
    {
        "slug": "main",
        "name": "Main desk",
        "description": "Attribution of the 2022 cyberattacks on Albania.",
        "guidelines": (
            "## Annotating\n\n"
            "- Select the **exact words** of the claim; the claimant is who says it.\n"
            "- Link every source the article names, with a locator when it has one.\n"
            "- Use *alleged* for accusations, *denied* for denials.\n"
        ),
        "members": {
            "rita": ["researcher"],
            "oscar": ["researcher"],
            "vera": ["reviewer"],
            "victor": ["reviewer"],
            "edith": ["editor", "manager"],
        },
    },
    {
        "slug": "balkans",
        "name": "Balkans partner desk",
        "description": "A university partner's look at Balkan coverage.",
        "guidelines": (
            "## Scope\n\nClaims about states of the Western Balkans and who hosts whom.\n"
        ),
        "members": {
            "oscar": ["researcher", "manager"],
            "rita": ["researcher"],
            "bora": ["reviewer"],
        },
    },
]

ACTORS = [
    # name, kind, aliases, parent, wikidata, description
    ("Albania", "state", ["Tirana", "Tiranë", "the Albanian government"], None, "Q222", ""),
    (
        "Iran",
        "state",
        ["Tehran", "the Iranian state", "Islamic Republic of Iran"],
        None,
        "Q794",
        "",
    ),
    (
        "Ministry of Intelligence of Iran",
        "organisation",
        ["Iran's Ministry of Intelligence", "MOIS", "Ministry of Intelligence and Security"],
        "Iran",
        "",
        "Iran's main intelligence agency.",
    ),
    (
        "Esmail Khatib",
        "person",
        ["Khatib"],
        "Ministry of Intelligence of Iran",
        "",
        "Iran's minister of intelligence.",
    ),
    (
        "Edi Rama",
        "person",
        ["Rama", "Albania's prime minister"],
        "Albania",
        "",
        "Prime minister of Albania.",
    ),
    ("United States", "state", ["Washington", "the US", "the United States"], None, "Q30", ""),
    (
        "U.S. Department of the Treasury",
        "organisation",
        ["the Treasury", "Treasury Department"],
        "United States",
        "",
        "",
    ),
    ("FBI", "organisation", ["Federal Bureau of Investigation"], "United States", "", ""),
    ("Microsoft", "organisation", [], None, "Q2283", ""),
    ("Israel", "state", ["Jerusalem"], None, "Q801", ""),
    (
        "Yair Lapid",
        "person",
        ["Lapid"],
        "Israel",
        "",
        "Prime minister of Israel in the second half of 2022.",
    ),
    ("Nasser Kanaani", "person", ["Kanaani"], "Iran", "", "Spokesman of Iran's foreign ministry."),
    (
        "People's Mojahedin Organization of Iran",
        "group",
        ["MEK", "Mujahedin-e Khalq", "the MEK"],
        None,
        "",
        "Iranian opposition group based in Albania.",
    ),
    (
        "NATO",
        "organisation",
        ["the alliance", "North Atlantic Treaty Organization"],
        None,
        "Q7184",
        "",
    ),
]

SOURCES = [
    # name, kind, url, publisher
    ("Claimdesk demo wire", "outlet", "https://demo.claimdesk.example/wire", "Claimdesk"),
    (
        "Video statement of the Albanian prime minister",
        "official_statement",
        "",
        "Government of Albania",
    ),
    (
        "Joint investigation summary on the July attacks",
        "investigation",
        "",
        "Government of Albania",
    ),
    (
        "Statement of Iran's foreign ministry spokesman",
        "official_statement",
        "",
        "Ministry of Foreign Affairs of Iran",
    ),
    (
        "Treasury sanctions notice on the Ministry of Intelligence",
        "sanctions_notice",
        "https://home.treasury.gov/news/press-releases",
        "U.S. Department of the Treasury",
    ),
    (
        "Microsoft threat intelligence report",
        "investigation",
        "https://www.microsoft.com/security/blog/",
        "Microsoft",
    ),
    ("Post by the Albanian prime minister", "social_media", "", "Edi Rama"),
]

ARTICLES = [
    {
        "key": "ties",
        "url": "https://demo.claimdesk.example/albania-cuts-ties-with-iran",
        "title": "Albania cuts diplomatic ties with Iran over cyberattacks",
        "byline": "Claimdesk demo desk",
        "published": "2022-09-07",
        "text": (
            "Albania has cut diplomatic ties with Iran and ordered its embassy staff to leave "
            "within 24 hours, after a cyberattack in July knocked out many of the government's "
            "online services.\n\n"
            "In a video statement, Albania's prime minister Edi Rama said an in-depth "
            "investigation had given indisputable evidence that the Iranian state was behind the "
            "July attack, carried out through four groups that organised it.\n\n"
            "Rama said the investigation had been helped by the FBI and by Microsoft, whose own "
            "analysts had tracked the attackers in Albanian networks for months.\n\n"
            "Tehran rejected the accusation. Iran's foreign ministry spokesman Nasser Kanaani "
            "called it baseless and said Iran itself had been a target of cyberattacks.\n\n"
            "Officials in Tiranë said the portal e-Albania, used for most public services, "
            "would be restored gradually. Washington said it strongly condemned the attack."
        ),
    },
    {
        "key": "sanctions",
        "url": "https://demo.claimdesk.example/us-sanctions-iran-intelligence-ministry",
        "title": "US sanctions Iran's intelligence ministry over attack on Albania",
        "byline": "Claimdesk demo desk",
        "published": "2022-09-09",
        "text": (
            "The United States imposed sanctions on Iran's Ministry of Intelligence and its "
            "minister, Esmail Khatib, for their alleged role in the cyberattack on Albania in "
            "July.\n\n"
            "The Treasury said the ministry had directed networks of cyber actors engaged in "
            "espionage and ransomware attacks in support of Iran's political goals.\n\n"
            "Albania, a NATO member, had cut its ties with Tehran two days earlier. The alliance "
            "said it stood with Albania and called the attack a destabilising act.\n\n"
            "Tehran condemned the sanctions and again denied any role in the attack."
        ),
    },
    {
        "key": "mek",
        "project": "balkans",
        "url": "https://demo.claimdesk.example/albania-mek-iran-israel",
        "title": "Why Albania's hosting of the MEK matters to Tehran",
        "byline": "Claimdesk demo desk",
        "published": "2022-09-15",
        "text": (
            "Since 2013 Albania has hosted several thousand members of the People's Mojahedin "
            "Organization of Iran, known as the MEK, at the request of the United States.\n\n"
            "Researchers who studied the July attack said the attackers left messages "
            "criticising the MEK, which Tehran calls a terrorist group.\n\n"
            "Iran has accused Albania of letting the MEK plot against it from Albanian soil.\n\n"
            "Rama has also sought closer ties with Israel. During a visit, he met Israeli prime "
            "minister Yair Lapid, and the two spoke of working together on cyber defence."
        ),
    },
    {
        # The running example of the suggestion engine: every way news text announces an
        # attribution, once (see tests/annotations/suggesting/test_running_example.py).
        "key": "suggestions",
        "url": "https://demo.claimdesk.example/rama-blames-iran-tehran-rejects",
        "title": "Rama blames Iran for the cyberattack; Tehran rejects the charges",
        "byline": "Claimdesk demo desk",
        "published": "2022-09-10",
        "text": (
            "Albanian Prime Minister Edi Rama accused Iran of orchestrating the July "
            "cyberattack on the country's public services.\n\n"
            "\u201cThe attack was meant to paralyse our services and to steal data from the "
            "state,\u201d Rama said in a video message. He added that the investigation had "
            "left no doubt about who was responsible.\n\n"
            "\u201cIsrael stands with Albania against these attacks,\u201d said Yair Lapid. "
            "The attackers had been inside Albanian networks for more than a year, said "
            "Microsoft.\n\n"
            "Washington imposed sanctions on Iran's Ministry of Intelligence for its alleged "
            "role in the attack.\n\n"
            "Tehran rejected the charges as baseless. Nasser Kanaani mentioned that Iran "
            "itself had often been a target of cyberattacks.\n\n"
            "Kanaani told reporters in Tehran: \u201cAlbania hosts a group that plots against "
            "the Islamic Republic, and these accusations serve that group.\n\n"
            "\u201cWe will answer any aggression in a measured and lawful way.\u201d"
        ),
    },
]

# Each claim: article key, exact quote, statement, claimant, certainty, actors (name, role),
# sources (name, locator), the workflow path it takes, and review details.
CLAIMS = [
    {
        "article": "ties",
        "exact": "the Iranian state was behind the July attack",
        "statement": "The Iranian state carried out the July 2022 cyberattack on Albanian "
        "government services.",
        "claimant": "Edi Rama",
        "certainty": "asserted",
        "actors": [("Iran", "accused"), ("Albania", "target")],
        "sources": [
            ("Video statement of the Albanian prime minister", "00:45"),
            ("Joint investigation summary on the July attacks", "section 2"),
        ],
        "path": [
            "submit",
            (
                "approve",
                "vera",
                {
                    "rating_value": 3,
                    "rating_label": "Attributed by a government; independent confirmation partial",
                },
            ),
        ],
        "author": "rita",
    },
    {
        "article": "ties",
        "exact": "Tehran rejected the accusation",
        "statement": "Iran denies carrying out the cyberattack on Albania.",
        "claimant": "Iran",
        "certainty": "denied",
        "actors": [("Iran", "denier"), ("Albania", "mentioned"), ("Nasser Kanaani", "supporter")],
        "sources": [("Statement of Iran's foreign ministry spokesman", "")],
        # (kind, the quote of the claim it relates to): Tehran's denial answers Rama.
        "relations": [("denies", "the Iranian state was behind the July attack")],
        "path": ["submit"],
        "author": "rita",
    },
    {
        "article": "ties",
        "exact": "the investigation had been helped by the FBI and by Microsoft",
        "statement": "The FBI and Microsoft helped Albania investigate the July attack.",
        "claimant": "Edi Rama",
        "certainty": "asserted",
        "actors": [("FBI", "supporter"), ("Microsoft", "supporter")],
        "sources": [("Video statement of the Albanian prime minister", "01:30")],
        "path": [
            "submit",
            (
                "request_changes",
                "vera",
                {
                    "comment": "Add Microsoft's own report as a source: "
                    "the quote only gives Rama's word for it."
                },
            ),
        ],
        "author": "rita",
    },
    {
        "article": "sanctions",
        "exact": "for their alleged role in the cyberattack on Albania",
        "statement": "Iran's Ministry of Intelligence and its minister had a role in the "
        "cyberattack on Albania.",
        "claimant": "United States",
        "certainty": "alleged",
        "actors": [
            ("Ministry of Intelligence of Iran", "accused"),
            ("Esmail Khatib", "accused"),
            ("Albania", "target"),
        ],
        "sources": [("Treasury sanctions notice on the Ministry of Intelligence", "")],
        "path": [
            "submit",
            (
                "approve",
                "victor",
                {"rating_value": 4, "rating_label": "Supported by official findings"},
            ),
        ],
        "author": "oscar",
    },
    {
        "article": "sanctions",
        "exact": "espionage and ransomware attacks in support of Iran's political goals",
        "statement": "NATO says Iran's ministry runs ransomware attacks.",
        "claimant": "NATO",
        "certainty": "asserted",
        "actors": [("Ministry of Intelligence of Iran", "accused")],
        "sources": [],
        "path": [
            "submit",
            (
                "reject",
                "vera",
                {
                    "reason": "misattributed",
                    "comment": "This is the Treasury's finding, not NATO's.",
                },
            ),
        ],
        "author": "oscar",
    },
    {
        "article": "sanctions",
        "exact": "again denied any role in the attack",
        "statement": "Iran denies any role in the attack on Albania.",
        "claimant": "Iran",
        "certainty": "denied",
        "actors": [("Iran", "denier")],
        "sources": [],
        "relations": [("denies", "for their alleged role in the cyberattack on Albania")],
        "path": [],
        "author": "rita",
    },
    {
        "article": "mek",
        "exact": "Iran has accused Albania of letting the MEK plot against it from Albanian soil",
        "statement": "Albania lets the MEK plot against Iran from its territory.",
        "claimant": "Iran",
        "certainty": "alleged",
        "actors": [
            ("Albania", "accused"),
            ("People's Mojahedin Organization of Iran", "accused"),
            ("Iran", "target"),
        ],
        "sources": [],
        "path": ["submit"],
        "author": "oscar",
    },
    {
        "article": "mek",
        "exact": "the two spoke of working together on cyber defence",
        "statement": "Albania and Israel intend to cooperate on cyber defence.",
        "claimant": "Edi Rama",
        "certainty": "asserted",
        "actors": [("Yair Lapid", "supporter"), ("Israel", "mentioned")],
        "sources": [("Post by the Albanian prime minister", "")],
        "path": [],
        "author": "rita",
    },
]
