"""How ``pairs.json``, the labelled near-duplicate pairs, was written: ``python -m tests.neardup.make_pairs``.

The JSON file is the labelled set; the tests read it and never run this. Each pair says how
its copy differs: true near-duplicates are mirror articles edited the way a second desk or
outlet republishes a story (``pos``); hard negatives are pairs of different stories that
share a desk's subject, phrasing or boilerplate, follow-ups that repeat background
paragraphs word for word, template briefs, and the same event written up independently
(``neg``). Kept so that the set can be read, reviewed and extended; regenerating it after
the mirror's articles change would change the set.
"""

import json
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
ARTICLES = {a["id"]: a for a in json.loads((REPO / "tests/mirror/articles.json").read_text(encoding="utf-8"))}


def story(aid):
    a = ARTICLES[aid]
    return {"title": a["title"], "paragraphs": list(a["paragraphs"])}


def edit(aid, title=None, drop_last=0, replace=(), prepend=None, append=(), insert=(), swap=None):
    s = story(aid)
    paras = s["paragraphs"]
    if drop_last:
        paras = paras[:-drop_last]
    text = "\n\n".join(paras)
    for old, new in replace:
        assert old in text, (aid, old)
        text = text.replace(old, new, 1)
    paras = text.split("\n\n")
    for index, sentence in insert:
        paras[index] = paras[index] + " " + sentence
    if swap:
        i, j = swap
        paras[i], paras[j] = paras[j], paras[i]
    if prepend:
        paras[0] = prepend + paras[0]
    paras += list(append)
    return {"title": title or s["title"], "paragraphs": paras}


pairs = []


def pair(label, kind, note, a, b):
    pairs.append({"label": label, "kind": kind, "note": note, "a": a, "b": b})


def pos(kind, note, aid, **edits):
    pair(True, kind, note, story(aid), edit(aid, **edits))


# ------------------------------------------------------------------ true near-duplicates
pos("retitled", "new headline, the day dropped from the attribution", 1336181,
    title="Dengue Cases Fall In Punjab As Weather Turns Cold",
    replace=[("Department said on Friday.", "Department said.")])
pos("trimmed", "last paragraph (a boilerplate line) cut", 1336213, drop_last=1)
pos("trimmed", "last paragraph cut, new headline", 1336241, drop_last=1,
    title="Rain May Spoil Pakistan's Bid For Series Sweep In Dhaka")
pos("dateline", "the copy kept its wire dateline in the body", 1336282,
    prepend="BRUSSELS, Dec 3 (Sputnik) - ")
pos("agency", "attribution rewritten for the agency copy", 1336309,
    replace=[("the State Bank of Pakistan said.", "according to the State Bank of Pakistan, APP reported."),
             ("according to the Forex Association of Pakistan", "the Forex Association of Pakistan said")])
pos("trimmed", "last paragraph cut, new headline", 1336364, drop_last=1,
    title="US Economy Adds 210,000 Jobs, Unemployment Falls To 4.2 Percent")
pos("copy_edit", "three phrases reworded by the second desk", 1404012,
    replace=[("The Pakistan Cricket Board on Tuesday said", "The Pakistan Cricket Board said on Tuesday"),
             ("high-scoring draw", "high-scoring stalemate"),
             ("piled up runs", "scored heavily")])
pos("update", "a paragraph added at the end", 1404186,
    append=["The campaign will also be held in the merged districts, where special teams have been formed "
            "to reach children in far-flung areas."])
pos("retitled", "same body, new headline (the content hash already catches it)", 1404219,
    title="Sindh Aims To Plant 2.5 Million Saplings This Spring")
pos("trimmed", "last paragraph cut, new headline", 1404238, drop_last=1,
    title="50,000 Youth To Get Free Training In Freelancing, E-Commerce")
pos("agency", "agency credit added, acronym spelt out", 1404261,
    replace=[("The Ajman Chamber of Commerce and Industry on Wednesday", "The Ajman Chamber of Commerce and Industry (ACCI) on Wednesday")],
    append=["- WAM"])
pos("copy_edit", "subject and attribution reworded", 1404301,
    replace=[("Police arrested 23 people", "The police arrested 23 people"),
             ("He urged parents", "The spokesman urged parents"),
             ("further investigation is under way", "further investigation is in progress")])
pos("trimmed", "last paragraph cut, new headline", 1404379, drop_last=1,
    title="Louvre To Stay Open Late Twice A Week From April")
pos("dateline", "the copy kept an APP dateline in the body", 1652207,
    prepend="LAHORE, Mar 2 (APP): ")
pos("trimmed", "two boilerplate closing paragraphs cut", 1652235, drop_last=2)
pos("combined", "last paragraph cut, new headline and a reworded sentence", 1652273, drop_last=1,
    title="Sialkot Chamber Wants Competitive Energy Tariff Restored",
    replace=[("had raised the cost of production by almost 30 percent", "had pushed up production costs by nearly 30 percent")])
pos("trimmed", "wire story cut to its first eight of eleven paragraphs, new headline", 1652312, drop_last=3,
    title="US, Russia Air Differences At G20 Meeting In New Delhi")
pos("copy_edit", "spelling and wording of the second desk", 1652354,
    replace=[("in preparation for upcoming international assignments", "to prepare for upcoming international events"),
             ("have been called up for the camp", "have been invited to the camp")])
pos("dateline", "a Xinhua dateline kept in the body, one phrase expanded", 1652369,
    prepend="GENEVA, March 2 (Xinhua) -- ",
    replace=[("In a statement, the organisation said", "In a statement issued in Geneva, the organisation said")])
pos("trimmed", "last paragraph cut, new headline", 1740193, drop_last=1,
    title="Japan's Core Machinery Orders Drop 1.1 Percent")
pos("copy_edit", "reworded lead", 1740213,
    replace=[("will meet at the R. Premadasa Stadium", "will face off at the R. Premadasa Stadium"),
             ("in a virtual semi-final", "in a de facto semi-final")])
pos("update", "closing line replaced by another", 1740226, drop_last=1,
    append=["The walk was also attended by officials of the municipal corporation."])
pos("retitled", "new headline, one figure moved into the lead", 1740258,
    title="Balochistan Cabinet Approves Recruitment Of 2,000 Levies Personnel",
    replace=[("approved a set of measures to improve law and order", "approved several measures to improve law and order")])
pos("dateline", "an APP dateline kept in the body", 1740297, prepend="KARACHI, Sept 14 (APP): ")
pos("trimmed", "last paragraph cut", 1740322, drop_last=1)
pos("copy_edit", "two phrases reworded", 1792058,
    replace=[("when they take on Australia", "when they face Australia"),
             ("starting on Wednesday", "from Wednesday")])
pos("combined", "new headline, last paragraph cut, the day made explicit", 1792201, drop_last=1,
    title="Quetta Residents Shiver As Gas Supply Fails",
    replace=[("faced severe difficulties on Wednesday", "faced severe difficulties on Wednesday (today)")])
pos("retitled", "same body, new headline (the content hash already catches it)", 1792243,
    title="Vehicles Can Now Be Registered Online In Punjab")
pos("trimmed", "two boilerplate closing paragraphs cut", 1792282, drop_last=2)
pos("agency", "attribution to APP and a dateline in the body", 1792330,
    prepend="PESHAWAR, Jan 3 (APP): ",
    replace=[("Doctors at the Lady Reading Hospital said", "Doctors at the Lady Reading Hospital told APP")])
pos("trimmed", "two of six paragraphs cut", 1792387, drop_last=2,
    title="US Job Openings Drop To 8.79 Million")
pos("copy_edit", "verbs reworded", 1856205,
    replace=[("arrived in Dallas on Saturday", "reached Dallas on Saturday"),
             ("will hold practice sessions", "will train")])
pos("update", "a sentence added to one paragraph", 1856234,
    insert=[(1, "A control room has also been set up at the directorate general of health services.")])
pos("combined", "new headline, APP dateline in the body, boilerplate closing line cut", 1856255, drop_last=1,
    title="Rs 5 Billion Grant For Utility Stores Approved",
    prepend="ISLAMABAD, Jun 1 (APP): ")
pos("trimmed", "two closing paragraphs cut", 2052192, drop_last=2)
pos("agency", "the agency named in the lead", 2052397,
    replace=[("met a Pakistani business delegation in Abu Dhabi on Thursday",
              "met a Pakistani business delegation in Abu Dhabi on Thursday, the Emirates News Agency (WAM) reported,")])
pos("brief", "a three-sentence brief with a new headline and one word changed", 2052355,
    title="Punjab Starts Free Hepatitis Tests At 300 Health Units",
    replace=[("officials said", "an official said")])
pos("copy_edit", "two verbs reworded", 2052277,
    replace=[("has crossed 150 million", "has surpassed 150 million"),
             ("have grown steadily", "have increased steadily")])


# Harder true near-duplicates: heavy trims and rewrites of one story.
pos("trimmed", "wire story cut to its first six of eleven paragraphs, new headline", 1652312, drop_last=5,
    title="Blinken, Lavrov Meet Briefly As G20 Talks Falter")
pos("trimmed", "cut to its first four of seven paragraphs, new headline", 1336282, drop_last=3,
    title="Brussels Wants More Freight Moved By Rail")
pos("copy_edit", "rewritten by a second desk: five phrases reworded, last paragraph cut", 1652273, drop_last=1,
    replace=[("on Thursday urged the federal government", "on Thursday asked the federal government"),
             ("warning that orders were shifting to other countries", "warning that buyers were moving their orders abroad"),
             ("Speaking at a meeting with a delegation of", "Addressing a delegation of"),
             ("could not compete with Chinese and Indian suppliers", "could not match Chinese and Indian competitors"),
             ("had always stood by the government in difficult times", "had always supported the government in hard times")])
pos("combined", "APP dateline in the body, two paragraphs cut, two phrases reworded", 2052192, drop_last=2,
    prepend="LAHORE, Sep 18 (APP): ",
    replace=[("extended relief operations in flood-affected districts for another two weeks",
              "extended relief operations in flood-hit districts by two weeks"),
             ("decided to start a survey of damaged houses and crops from next week",
              "decided to begin surveying damaged houses and crops next week")])
pos("reordered", "two middle paragraphs swapped by the second desk", 1792243, swap=(1, 2))
pos("correction", "the same brief with a corrected figure", 1652325,
    replace=[("Ten grams of gold were sold at Rs 170,182.", "Ten grams of gold were sold at Rs 170,183.")])

# ------------------------------------------------------------------ hard negatives
def neg(kind, note, a, b):
    pair(False, kind, note, a, b)


def raw(title, *paragraphs):
    return {"title": title, "paragraphs": list(paragraphs)}


# Same desk, same subject, same phrasing, different stories (all from the mirror).
neg("same_desk", "two interbank rupee reports, two years apart", story(1336309), story(1740297))
neg("same_desk", "two dengue stories from health desks", story(1336181), story(1740226))
neg("same_desk", "two advisories to cotton growers", story(1740322), story(1856289))
neg("same_desk", "two stock market closing reports", story(1792303), story(2052310))
neg("same_desk", "two US labour market reports", story(1336364), story(1792387))
neg("same_desk", "floods relief and a rain warning", story(2052192), story(2052232))
neg("boilerplate", "two meetings ending with the same two boilerplate lines", story(1652235), story(1740258))
neg("boilerplate", "two meetings ending with the same boilerplate line", story(1856255), story(1792282))
neg("boilerplate", "two events ending with the same prayers line", story(1404219), story(1740226))
neg("boilerplate", "two meetings ending with the same attendance line", story(1336213), story(2052192))
neg("same_desk", "two Pakistan Test previews", story(1336241), story(1792058))
neg("same_desk", "two Asia Cup match stories", story(1740213), story(2052171))

# Follow-ups on the same event that repeat background paragraphs word for word.
blinken = ARTICLES[1652312]["paragraphs"]
neg("follow_up", "next story on the G20 meeting repeats two background paragraphs", story(1652312), raw(
    "G20 Foreign Ministers End Meeting Without Joint Statement",
    "The G20 foreign ministers' meeting in New Delhi ended on Thursday without a joint statement, with India "
    "issuing a chair's summary and an outcome document instead.",
    "The chair's summary said most members strongly condemned the war in Ukraine, while Russia and China "
    "objected to two paragraphs taken from last year's Bali declaration.",
    "Indian officials said the ministers had agreed on language on food and energy security, counter-terrorism, "
    "development cooperation and multilateralism.",
    blinken[8], blinken[9],
    "India holds the G20 presidency until November and will host the leaders' summit in September."))
floods = ARTICLES[2052192]["paragraphs"]
neg("follow_up", "survey story a week later repeats the toll paragraph", story(2052192), raw(
    "Survey Of Flood Damage Begins In Punjab",
    "Teams of the revenue, agriculture and livestock departments on Monday started a survey of houses, crops "
    "and cattle lost to the floods in the province, the Provincial Disaster Management Authority said.",
    "The survey will be completed in three weeks, and compensation will be paid through bank accounts after "
    "verification by the district committees, a spokesman said.",
    floods[3],
    "Farmers' organisations demanded that the survey also cover the cost of restoring land buried under silt."))
ndma = ARTICLES[2052232]["paragraphs"]
neg("follow_up", "rain story repeats the advisory paragraph", story(2052232), raw(
    "Landslides Block Roads As Rain Lashes Upper Parts Of Country",
    "Heavy rain lashed the upper parts of the country on Saturday, triggering landslides that blocked the "
    "Karakoram Highway at three places and the Naran road near Kaghan.",
    "The district administration said machinery had been sent to clear the roads and that stranded tourists "
    "were being provided with food and shelter in government rest houses.",
    ndma[1],
    "The Meteorological Department said the spell would continue till Tuesday."))
polio = ARTICLES[1404186]["paragraphs"]
neg("follow_up", "first day of the drive repeats two of four paragraphs", story(1404186), raw(
    "Anti-Polio Drive Begins In Khyber Pakhtunkhwa",
    "The five-day anti-polio campaign began across Khyber Pakhtunkhwa on Monday, with the provincial health "
    "minister administering drops to children at a ceremony in Peshawar.",
    polio[2], polio[3],
    "On the first day, vaccinators reached more than 1.2 million children, the Emergency Operations Centre said."))
ecp = ARTICLES[1792282]["paragraphs"]
neg("follow_up", "training begins, repeats the syllabus paragraph", story(1792282), raw(
    "Training Of Polling Staff Begins Across Country",
    "The first phase of the training of polling staff for the February 8 general elections began on Monday "
    "at more than 1,000 training centres across the country.",
    ecp[2],
    "Master trainers of the commission conducted the sessions, and attendance was recorded through biometric "
    "verification, an official said."))
heat = ARTICLES[1856234]["paragraphs"]
neg("follow_up", "patients at the centres, repeats the advice paragraph", story(1856234), raw(
    "Heatstroke Patients Brought To Karachi Hospitals",
    "Twelve people suffering from heatstroke were brought to the heatstroke centres of public hospitals in "
    "Karachi on Tuesday as the temperature rose to 42 degrees Celsius.",
    "Doctors at the Civil Hospital said most of the patients were labourers and elderly people, and that all of "
    "them were in a stable condition.",
    heat[2]))

# Short briefs written from a template: same words, different facts.
neg("brief", "gold rate brief of the next day", story(1652325), raw(
    "Gold Price Down By Rs 1,300 Per Tola",
    "The price of 24-karat gold fell by Rs 1,300 per tola on Friday to Rs 197,200, the All Sindh Sarrafa "
    "Jewellers Association reported.",
    "Ten grams of gold were sold at Rs 169,067.",
    "The price of silver remained unchanged at Rs 2,150 per tola."))
neg("brief", "gold rate briefs a month apart", raw(
    "Gold Price Up By Rs 500 Per Tola",
    "The price of 24-karat gold rose by Rs 500 per tola on Monday to Rs 201,300, the All Sindh Sarrafa "
    "Jewellers Association reported.",
    "Ten grams of gold were sold at Rs 172,582.",
    "The price of silver increased by Rs 20 to Rs 2,200 per tola."), raw(
    "Gold Price Up By Rs 700 Per Tola",
    "The price of 24-karat gold rose by Rs 700 per tola on Tuesday to Rs 204,900, the All Sindh Sarrafa "
    "Jewellers Association reported.",
    "Ten grams of gold were sold at Rs 175,669.",
    "The price of silver remained unchanged at Rs 2,230 per tola."))
neg("brief", "interbank rupee briefs of two days", raw(
    "Rupee Gains 12 Paisa Against Dollar",
    "The Pakistani rupee gained 12 paisa against the US dollar in the interbank market on Monday and closed at "
    "Rs 278.45, the State Bank of Pakistan said.",
    "In the open market, the dollar was bought at Rs 279.10 and sold at Rs 280.60."), raw(
    "Rupee Loses 8 Paisa Against Dollar",
    "The Pakistani rupee lost 8 paisa against the US dollar in the interbank market on Tuesday and closed at "
    "Rs 278.53, the State Bank of Pakistan said.",
    "In the open market, the dollar was bought at Rs 279.40 and sold at Rs 280.90."))
neg("brief", "weather briefs of two seasons", raw(
    "Cold, Dry Weather Expected In Most Parts Of Country",
    "The Met Office has forecast cold and dry weather in most parts of the country during the next 24 hours, "
    "while very cold weather is expected in the upper parts.",
    "Dense fog is likely in the plains of Punjab and upper Sindh during the night and morning hours.",
    "The lowest temperature was recorded at minus 9 degrees Celsius in Leh."), raw(
    "Hot, Humid Weather Expected In Most Parts Of Country",
    "The Met Office has forecast hot and humid weather in most parts of the country during the next 24 hours, "
    "while rain with thunderstorm is expected in the upper parts.",
    "Strong winds are likely in the coastal areas of Sindh and Balochistan during the afternoon.",
    "The highest temperature was recorded at 47 degrees Celsius in Jacobabad."))
neg("brief", "stock market closing briefs of two days", raw(
    "KSE-100 Gains 312 Points",
    "The benchmark KSE-100 index of the Pakistan Stock Exchange gained 312 points, or 0.5 percent, on Monday to "
    "close at 62,415 points.",
    "A total of 356 million shares worth Rs 11.2 billion were traded during the session."), raw(
    "KSE-100 Loses 210 Points",
    "The benchmark KSE-100 index of the Pakistan Stock Exchange lost 210 points, or 0.3 percent, on Tuesday to "
    "close at 62,205 points.",
    "A total of 298 million shares worth Rs 9.7 billion were traded during the session."))
neg("brief", "two health briefs with the same closing", story(2052355), raw(
    "Free Eye Camp Held In Multan",
    "The district health authority on Thursday held a free eye camp at the Nishtar Hospital, where 450 patients "
    "were examined.",
    "Patients needing surgery will get free operations, officials said.",
    "The camp will run till Saturday."))
neg("brief", "polio drive notices for two districts from one template", raw(
    "Anti-Polio Drive To Begin In Bannu On March 14",
    "A five-day anti-polio campaign will begin in Bannu district on March 14, during which 245,000 children "
    "under the age of five will be vaccinated, the Deputy Commissioner Bannu said on Wednesday.",
    "He said that 980 teams had been constituted for the campaign, and police would provide security to the "
    "teams in the sensitive union councils of Bannu.",
    "Parents were urged to cooperate with the vaccinators."), raw(
    "Anti-Polio Drive To Begin In Dera Ismail Khan On March 14",
    "A five-day anti-polio campaign will begin in Dera Ismail Khan district on March 14, during which 412,000 "
    "children under the age of five will be vaccinated, the Deputy Commissioner Dera Ismail Khan said on Thursday.",
    "He said that 1,640 teams had been constituted for the campaign, and police would provide security to the "
    "teams in the sensitive union councils of Dera Ismail Khan.",
    "Parents were urged to cooperate with the vaccinators."))
neg("brief", "price checks in two districts from one template", raw(
    "DC Sargodha Visits Sasta Bazaar",
    "Deputy Commissioner Sargodha on Saturday visited the Sasta Bazaar on University Road and checked the prices "
    "and quality of vegetables, fruit and flour.",
    "He directed the market committee to ensure the display of rate lists at every stall and warned that "
    "shopkeepers found overcharging would be fined.",
    "He also listened to the complaints of customers."), raw(
    "DC Jhang Visits Sasta Bazaar",
    "Deputy Commissioner Jhang on Sunday visited the Sasta Bazaar near the Sessions Court and checked the prices "
    "and quality of sugar, pulses and flour.",
    "He directed the assistant commissioners to check the bazaars daily and warned that shopkeepers selling "
    "underweight items would be arrested.",
    "He also listened to the complaints of customers."))
neg("brief", "two condolence briefs", raw(
    "Governor Expresses Grief Over Death Of Former MNA",
    "Governor Punjab on Monday expressed deep grief and sorrow over the death of former MNA Chaudhry Akram.",
    "In his condolence message, the governor prayed for the departed soul and patience for the bereaved family."),
    raw(
    "Governor Expresses Grief Over Death Of Senior Journalist",
    "Governor Punjab on Friday expressed deep grief and sorrow over the death of senior journalist Tariq Mehmood.",
    "In his condolence message, the governor paid tribute to his services to journalism and prayed for the "
    "departed soul."))
neg("brief", "two match results from one template", raw(
    "Lahore Qalandars Beat Karachi Kings By Six Wickets",
    "Lahore Qalandars beat Karachi Kings by six wickets in the 12th match of the Pakistan Super League at the "
    "Gaddafi Stadium on Sunday.",
    "Batting first, Karachi Kings scored 164 for seven in their 20 overs, and Lahore reached the target in the "
    "19th over, with Fakhar Zaman scoring 61."), raw(
    "Peshawar Zalmi Beat Quetta Gladiators By 24 Runs",
    "Peshawar Zalmi beat Quetta Gladiators by 24 runs in the 13th match of the Pakistan Super League at the "
    "Rawalpindi Cricket Stadium on Monday.",
    "Batting first, Peshawar Zalmi scored 188 for five in their 20 overs, and Quetta were bowled out for 164 in "
    "the 19th over, with Saud Shakeel scoring 53."))


neg("brief", "weekly reserves report of the next week, from one template", story(1856010), raw(
    "SBP-Held Foreign Exchange Reserves Rise To $9.2 Billion",
    "The foreign exchange reserves held by the State Bank of Pakistan increased by $81 million to $9.2 billion "
    "during the week ended May 31, the central bank said on Friday.",
    "The total liquid foreign reserves of the country stood at $14.5 billion, including $5.3 billion held by "
    "commercial banks, the SBP said in a statement.",
    "Analysts said the reserves were expected to improve further after the disbursement of funds by the "
    "International Monetary Fund under a new programme."))
neg("brief", "price control meetings in two districts from one template", raw(
    "DC Chairs Meeting Of District Price Control Committee In Okara",
    "Deputy Commissioner Okara chaired a meeting of the District Price Control Committee at his office on "
    "Monday to review the prices of essential commodities in the district.",
    "The meeting was informed that 41 shopkeepers had been fined Rs 96,000 during the last week for "
    "overcharging, while five shops were sealed.",
    "The deputy commissioner directed the price control magistrates to visit markets daily and ensure the "
    "display of rate lists, and said that no one would be allowed to exploit consumers.",
    "The meeting was also attended by senior officials of the departments concerned."), raw(
    "DC Chairs Meeting Of District Price Control Committee In Kasur",
    "Deputy Commissioner Kasur chaired a meeting of the District Price Control Committee at his office on "
    "Tuesday to review the prices of essential commodities in the district.",
    "The meeting was informed that 67 shopkeepers had been fined Rs 142,000 during the last week for "
    "overcharging, while nine shops were sealed.",
    "The deputy commissioner directed the price control magistrates to visit markets daily and ensure the "
    "display of rate lists, and said that no one would be allowed to exploit consumers.",
    "The meeting was also attended by senior officials of the departments concerned."))

# The same event written up independently by another outlet.
neg("same_event", "another agency's story of the same G20 meeting", story(1652312), raw(
    "G20 Talks In Delhi Stall Over Ukraine As Blinken, Lavrov Meet Briefly",
    "Top diplomats of the Group of 20 failed on Thursday to agree on a common statement on the war in Ukraine, "
    "as US Secretary of State Antony Blinken and Russia's Sergei Lavrov held their first face-to-face talks "
    "since the invasion.",
    "Blinken told reporters he had urged Lavrov to end the war and to reverse Russia's decision to suspend "
    "participation in the New START nuclear treaty, during a conversation that lasted less than ten minutes.",
    blinken[7],
    "The meeting was the second G20 ministerial under India's presidency to end without a consensus text."))
neg("same_event", "another outlet's story of the same jobs report", story(1336364), raw(
    "US Hiring Slows Sharply In November But Jobless Rate Drops",
    "American employers added far fewer workers than expected last month, government figures showed on Friday, "
    "although the unemployment rate dropped to 4.2 percent, its lowest since February 2020.",
    "Non-farm payrolls rose by 210,000, the Labor Department said, less than half of what analysts had "
    "predicted, as hiring in retail fell during the usually busy holiday season.",
    "Economists said the household survey, which showed more than a million people finding work, painted a "
    "stronger picture than the payroll numbers."))
neg("same_event", "another outlet's story of the same trading session", story(2052310), raw(
    "Stocks Hit New Peak On Earnings Hopes",
    "Equities extended their record run on Thursday as the KSE-100 rose 1,106 points to end at 156,214, brokers "
    "said, with institutional investors picking up cement and bank shares.",
    "Brokers said turnover improved to 1.1 billion shares, and that foreign investors were net sellers for a "
    "third day.",
    "Analysts expect the index to consolidate near current levels ahead of the monetary policy announcement "
    "next week."))


def as_article(s):
    return {"title": s["title"], "text": "\n\n".join(s["paragraphs"])}


def main() -> None:
    out = []
    for n, p in enumerate(pairs, 1):
        out.append({"id": f"{'pos' if p['label'] else 'neg'}-{n:02d}-{p['kind']}", "label": p["label"], "kind": p["kind"],
                    "note": p["note"], "a": as_article(p["a"]), "b": as_article(p["b"])})
    target = Path(__file__).resolve().parent / "pairs.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}: {len(out)} pairs, {sum(p['label'] for p in out)} near-duplicates")


if __name__ == "__main__":
    main()
