"""The words the generator builds its network from: names, organisations, roles,
events and the sentences of activities, reviews and reflections."""

from consent.models import Purpose
from contacts.models import ActivityType, Kind, OutcomeKind
from reviews.models import Decision

FIRST_NAMES = """Olivia Amelia Isla Ava Mia Ivy Lily Isabella Sophia Grace Freya Florence
Willow Emily Ella Poppy Evie Charlotte Harper Sienna Ruby Chloe Lucy Hannah Sophie Emma
Jessica Laura Sarah Rebecca Rachel Katie Amy Zara Aisha Fatima Maryam Amira Priya Anjali
Simran Deepa Neha Mei Lin Yuki Chiara Ana Maria Olga Agnieszka Kasia Zofia Niamh Siobhan
Aoife Ciara Caitlin Eilidh Morag Rhiannon Cerys Ffion Seren Nia Folake Chioma Ngozi Abena
Imani Leah Naomi Tamsin Joanne Claire Helen Nicola Karen Michelle Victoria Jade Megan
Bethany Holly Abigail Eleanor Alice Harriet Phoebe Matilda Rosie Daisy Esme Georgia
Jasmine Layla Noor Hira Sana Oliver George Noah Arthur Leo Muhammad Harry Oscar Archie
Henry Theodore Jack Freddie Charlie Thomas William James Alfie Joshua Jacob Daniel Samuel
Joseph Benjamin Lewis Liam Nathan Ryan Adam Luke Matthew Ben Tom Sam Dan Chris Mark Paul
Andrew David Michael Richard Stephen Simon Gareth Rhys Owen Dylan Ieuan Callum Euan Angus
Fraser Ciaran Declan Conor Sean Patrick Mohammed Ahmed Omar Yusuf Ibrahim Hassan Imran
Bilal Raj Ravi Arjun Vikram Rohan Sanjay Amit Kwame Kofi Tunde Chidi Emeka Jamal Marcus
Wei Jun Hiroshi Piotr Tomasz Marek Lukas Mateo Luca Marco Diego Andrei Stefan""".split()  # noqa: SIM905

# Roughly in order of frequency: the first few are common enough that a search for one
# matches over a per cent of the network (PERFORMANCE.md measures such a search).
LAST_NAMES = """Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson
Roberts Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke
Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker
Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young
Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox
Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman
Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills
Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey
Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott Reynolds
Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill
Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees
Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn
Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter Robertson Newton Oliver Reed
Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson Parry Burgess Bishop
Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne
Sutton McDonald Yates Hodgson Robson Curtis Hopkins O'Connor Harper Coleman Watkins Moss
McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler Potter Osborne Johnston Gordon Doyle
Wallace Jordan Hutchinson Rowe Burke Pritchard Gilbert Willis Higgins Read Miles Stevenson
Hammond Arnold Buckley Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann
Frost Lambert Stephens Blake Akhtar Lynch Goodwin Barton Woodward Thomson Cunningham Quinn
Barnett Baxter Clayton Nash Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes
Tucker Davidson Fowler Heath Norman Middleton Lawson Banks Stanley Jarvis Gibbs Ferguson
Hayward Carroll Farmer Nguyen Chen Wang Zhang Kowalski Nowak Okafor Adeyemi Mensah Osei
Rahman Chowdhury Iqbal Malik Mahmood Sharma Gupta Kumar Mistry Rossi Silva Santos
Fernandes Kaminski Novak Petrov Ivanova Horvat Jensen""".split()  # noqa: SIM905

ORG_STEMS = """Northwind Harbour Pennine Castlegate Brightwave Moorside Riverside Kingsway
Ashdown Bramley Calder Dales Eastgate Fernhill Greystone Hawthorn Ironbridge Juniper
Kestrel Lakeland Marlow Newhaven Oakfield Parkside Quayside Redbrick Saltaire Thornbury
Uplands Westfield Yewtree Cobalt Summit Beacon Granite Meridian Orchard Copper Silverdale
Larkspur Heron Swift Clearwater Foxglove Highmoor Longbridge Mersey Tyne Severn Trent
Humber Lowther Stanage Ribble Wensley Kirkstall Roundhay Aireside Chevin""".split()  # noqa: SIM905
ORG_SECTORS = """Analytics Bank Insurance Retail Logistics Health Energy Software Systems
Digital Engineering Consulting Foods Telecom Media Housing Legal Capital Labs Cloud Games
Pharma Travel Manufacturing Security""".split()  # noqa: SIM905
ORG_ENDINGS = [" Ltd", "", "", " plc", " Group", " UK"]
AGENCY_WORDS = ["Recruitment", "Talent", "Search", "Resourcing", "People", "Talent Partners"]
COMMUNITIES = """Leeds Tech Meetup|Manchester Data Community|Python North|DevOps North
West|Sheffield Digital|Bristol Tech Network|Women Who Code Birmingham|Newcastle Startup
Club|Liverpool Fintech Forum|Code Club Yorkshire|Northern Product Circle|Cardiff
Developers""".replace("\n", " ").split("|")
EVENTS = """Leeds Tech Meetup, Platform|REC North breakfast, Manchester|Recruitment Expo,
ExCeL London|Northern Fintech Forum, Leeds|DevOps Days, Manchester Central|Data Science
Festival, London|Chamber of Commerce lunch, Sheffield|HR Directors' Forum, Bristol|Python
North, Liverpool|Tech Nation showcase, Birmingham|Agile Yorkshire, Leeds|Product Camp,
Newcastle|CIPD branch evening, York|Digital Wales, Cardiff|Cloud Summit, Olympia
London""".replace("\n", " ").split("|")
PLACES = """Coffee, Leeds city centre|Their offices|Our offices|Video call|Hotel lobby,
Manchester Piccadilly|Lunch, Spinningfields|Coffee, Bristol harbourside|Breakfast,
Birmingham Colmore Row""".replace("\n", " ").split("|")

CANDIDATE_ROLES = """Software Engineer|Senior Software Engineer|Backend Developer|Frontend
Developer|Full Stack Developer|Data Engineer|Senior Data Engineer|Data Scientist|Data
Analyst|DevOps Engineer|Site Reliability Engineer|Cloud Architect|QA Engineer|QA Lead|Test
Automation Engineer|Product Manager|Product Designer|UX Researcher|Business Analyst|Scrum
Master|Delivery Manager|Security Engineer|Network Engineer|IT Support Analyst|Solutions
Architect|Machine Learning Engineer|Mobile Developer|Salesforce Developer|SAP
Consultant|Finance Business Partner|Management Accountant|Financial Controller|Payroll
Specialist|HR Business Partner|Marketing Manager|Digital Marketing Executive|Account
Manager|Sales Executive|Customer Success Manager|Project Manager|Programme
Manager|Operations Manager|Supply Chain Analyst|Procurement Manager|Legal
Counsel|Compliance Officer""".replace("\n", " ").split("|")
ROLES = {
    Kind.CANDIDATE: CANDIDATE_ROLES,
    Kind.CLIENT: """CTO|Chief Operating Officer|Head of Engineering|Head of Data|IT
Director|Finance Director|HR Director|Head of Talent|Talent Acquisition Manager|Operations
Director|Managing Director|Head of People|VP Engineering|Head of Product""".replace(
        "\n", " "
    ).split("|"),
    Kind.HIRING_MANAGER: """Engineering Manager|Data Platform Lead|QA Manager|Head of
Infrastructure|Product Lead|Finance Manager|Marketing Director|Team Lead|Development
Manager|Analytics Manager|Delivery Lead|Security Lead""".replace("\n", " ").split("|"),
    Kind.REFERRER: """Meetup Organiser|Engineering Coach|Bootcamp Careers Lead|University
Careers Adviser|Freelance Consultant|Former Colleague|Community Manager|Alumni
Officer""".replace("\n", " ").split("|"),
    Kind.INDUSTRY_PEER: """Senior Recruiter|Recruitment Consultant|Principal
Consultant|Account Director|Talent Partner|Membership Manager|Resourcer|Recruitment Team
Lead""".replace("\n", " ").split("|"),
}
TAG_NAMES = """python|java|.net|javascript|react|data|cloud|devops|security|testing|design|
product|fintech|insurtech|healthtech|ecommerce|public sector|finance|hr|marketing|sales|
legal|operations|supply chain|salesforce|sap|junior|mid-level|senior|lead|contract|
permanent|interim|remote|hybrid|leeds|manchester|london|birmingham|bristol|sheffield|
newcastle|key account|new client|dormant|hot|passive|active|relocating|speaker|community|
peers|alumni|referrer|shortlisted|placed|counter-offer|notice 1 month|notice 3 months|
day rate|ir35 outside|graduate|apprentice""".replace("\n", "").split("|")
NOTES = [
    "Prefers calls before 10am.",
    "Open to contract roles as well as permanent.",
    "Only interested in hybrid roles near home.",
    "Met through a former colleague; keep them posted on market news.",
    "Wants a step up to a lead role within a year.",
    "Has three months' notice; worth planning early.",
    "Asked not to be contacted about agency roles.",
    "Good source of introductions in the region.",
    "Sends the quarterly hiring plan if asked.",
    "Replies on LinkedIn faster than by email.",
]
PERSONAL_NOTES = ["Old university friend.", "Five-a-side on Thursdays.", "Neighbour."]

SUMMARIES = {
    "candidate": {
        ActivityType.EMAIL: [
            "Sent {first} the job spec for the {role} role.",
            "Emailed {first} interview preparation notes.",
            "Followed up with {first} after the second interview.",
            "Shared salary benchmarks for {role} roles with {first}.",
            "Sent {first} feedback on their CV.",
        ],
        ActivityType.CALL: [
            "Screening call with {first} about a move from {org}.",
            "Interview feedback call with {first}.",
            "Talked {first} through an offer and the counter-offer risk.",
            "Catch-up call with {first} on their job search.",
            "Reference call about {first}, with their agreement.",
        ],
        ActivityType.MEETING: [
            "Met {first} to talk through their next move.",
            "Coffee with {first} to prepare for the final interview.",
            "Registration meeting with {first}.",
        ],
        ActivityType.LINKEDIN: [
            "Messaged {first} about a {role} opportunity.",
            "Connected with {first} after their post about {org}.",
            "Congratulated {first} on the new role at {org}.",
            "Replied to {first}'s question about contract rates.",
        ],
        ActivityType.EVENT: [
            "Met {first} at the networking session.",
            "{first} came over after my talk to ask about {role} roles.",
        ],
        ActivityType.REFERRAL_GIVEN: [
            "Put {first} forward to a client for the {role} role.",
            "Introduced {first} to a hiring manager I know.",
        ],
        ActivityType.REFERRAL_RECEIVED: ["{first} referred a former colleague to us."],
        ActivityType.OTHER: [
            "Sent {first} a guide to preparing for technical interviews.",
            "Wrote {first} a recommendation on LinkedIn.",
        ],
    },
    "business": {
        ActivityType.EMAIL: [
            "Sent {first} a shortlist of three CVs.",
            "Shared the quarterly salary guide with {first}.",
            "Thanked {first} for the introduction.",
            "Sent {first} our terms of business.",
            "Quarterly update to {first} on the open roles at {org}.",
        ],
        ActivityType.CALL: [
            "Catch-up call with {first} on hiring plans for next quarter.",
            "Briefing call with {first} for a new vacancy.",
            "Called {first} for feedback on the shortlist.",
            "Talked with {first} about the market for {role} hires.",
        ],
        ActivityType.MEETING: [
            "Coffee with {first} to understand {org}'s hiring plans.",
            "Intake meeting at {org} for a new vacancy.",
            "Met {first} to review the shortlist.",
            "Lunch with {first} to talk about the market.",
            "Pitch meeting with {first} for {org}'s platform team.",
        ],
        ActivityType.LINKEDIN: [
            "Messaged {first} about their team's growth.",
            "Commented on {first}'s post about hiring at {org}.",
        ],
        ActivityType.EVENT: [
            "Met {first} at the panel and swapped notes on hiring.",
            "Introduced myself to {first} at the breakfast briefing.",
            "Sat with {first} at the awards dinner.",
        ],
        ActivityType.REFERRAL_GIVEN: [
            "Referred a strong candidate to {first} for a role outside our brief.",
            "Introduced {first} to a peer looking for an interim lead.",
        ],
        ActivityType.REFERRAL_RECEIVED: [
            "{first} referred two developers from their network.",
            "{first} passed on a lead at another company.",
            "{first} recommended us to a hiring manager at {org}.",
        ],
        ActivityType.OTHER: [
            "Sent {first} our market report.",
            "Shared an article on hiring trends with {first}.",
        ],
    },
}
PERSONAL_SUMMARIES = [
    "Catch-up with {first} (personal).",
    "Dinner with {first}.",
    "Five-a-side with {first}.",
]
OUTCOMES = {
    "candidate": [
        "Shortlisted.",
        "Interview booked.",
        "Not looking for now; check back in six months.",
        "CV sent with their agreement.",
        "Second interview arranged.",
        "Declined the role.",
        "Agreed to keep in touch.",
    ],
    "business": [
        "Two roles likely next quarter.",
        "No vacancies for now.",
        "Agreed to speak again next month.",
        "Asked for three more CVs.",
        "Introduced me to their talent lead.",
        "Shortlist well received.",
        "Agreed to swap market reports quarterly.",
    ],
}
RESULT_TEXT = {
    OutcomeKind.PLACEMENT: ("Offer accepted.", "Placed {first} at {org}."),
    OutcomeKind.REFERRAL: ("Candidate referred.", "{first} referred to a client."),
    OutcomeKind.CLIENT_WON: ("Signed terms.", "{org} signed terms with us."),
    OutcomeKind.VACANCY: ("Vacancy registered.", "{role} vacancy registered with {org}."),
}
LEGITIMATE_INTERESTS = {
    "candidate": (
        "Finding suitable roles for people open to a move.",
        "We need their work history and contact details to tell them about roles.",
        "Details they published for this purpose; they can object at any time.",
    ),
    "business": (
        "Finding candidates for our clients' vacancies and keeping in touch with them.",
        "We need a business contact's work details to discuss their hiring needs.",
        "Work details only, used as a business contact would expect.",
    ),
}
RATIONALES = {
    Decision.STRENGTHEN: [
        "{first} brings vacancies and introductions; worth more regular contact.",
        "Strong relationship that has led to results; invest more time.",
        "{first} refers people who fit; I have been taking more than giving.",
    ],
    Decision.MAINTAIN: [
        "Useful contact; keep in touch at the current pace.",
        "{first} is steady but not growing; quarterly contact is enough.",
        "Placed recently; keep in touch for referrals from the new team.",
    ],
    Decision.DISCONTINUE: [
        "No reply to the last three messages; stop chasing.",
        "{first} has moved out of the sector; little overlap now.",
        "One-sided for a year with no result; let it go.",
    ],
}
NEXT_ACTIONS = [
    "Invite {first} to the next client breakfast.",
    "Send {first} the salary guide.",
    "Book a coffee with {first}.",
    "Ask {first} for an introduction to their talent lead.",
]
REFLECTIONS = [
    (
        "What {event} did for my network",
        "Going to {event} brought new contacts in a week, more than a month of messages. "
        "{first} has been the most useful of them. Next I will follow up within two days "
        "and offer something first.",
    ),
    (
        "Working with {first}: what went well",
        "The last quarter with {first} showed that regular updates keep a client "
        "engaged. I will keep the fortnightly call and stop sending long CV packs.",
    ),
    (
        "Relationships I have been neglecting",
        "Looking at my log, I have not spoken to several referrers in months, {first} "
        "among them. I will set cadences for referrers and review them each quarter.",
    ),
]
PURPOSE_SETS = [
    [Purpose.ROLES],
    [Purpose.ROLES, Purpose.SHARE_CV],
    [Purpose.KEEP_ON_FILE, Purpose.ROLES, Purpose.SHARE_CV],
    [Purpose.MARKET_NEWS, Purpose.ROLES, Purpose.SHARE_CV],
    [Purpose.MARKET_NEWS],
]
