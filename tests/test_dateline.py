"""The dateline parser: a table of the datelines it must read and the texts it must leave alone.

Each row is one dateline shape with a short body: the place, agency and date it must give and
how the body must start. The shapes are made up in the real sites' forms (see the module
docstring of pipelines/dateline.py).
"""

import datetime
import random
import re

import pytest
from scrapy.utils.test import get_crawler

from pipelines.items import ArticleItem
from pipelines import dateline as dateline_module
from pipelines.agencies import AGENCIES, agency_name, is_own_desk
from pipelines.dateline import HEAD_CHARS, Dateline, DatelinePipeline, parse_dateline
from pipelines.profile import Profiles
from tests.samples import PAGE_HINTS

BRAND = PAGE_HINTS.dateline_brand  # UrduPoint's, as its profile gives it: most rows here are its datelines

BODY = "The federal cabinet met on Tuesday."
URDU_BODY = "وفاقی کابینہ کا اجلاس منگل کو ہوا۔"

# (id, text, place, agency, date, body start)
DATELINES = [
    # UrduPoint English, the seed article
    (
        "seed-international-desk",
        "New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 ) :"
        "The United States and Russia met...",
        "New Delhi", None, "2023-03-02", "The United States and Russia met...",
    ),
    # UrduPoint English, the house styles
    (
        "desk-until-sept-2023",
        f"GUJRANWALA, (UrduPoint / Pakistan Point News - 14th Feb, 2022 ) :{BODY}",
        "Gujranwala", None, "2022-02-14", BODY,
    ),
    (
        "desk-from-oct-2023-no-separator",
        f"QUETTA, (UrduPoint / Pakistan Point News - 9th Jan, 2024) {BODY}",
        "Quetta", None, "2024-01-09", BODY,
    ),
    (
        "agency-before-brand",
        f"LONDON, (APP - UrduPoint / Pakistan Point News - 1st Jun, 2024) {BODY}",
        "London", "APP", "2024-06-01", BODY,
    ),
    (
        "international-desk-month-day",
        f"Paris, May 7 (UrduPoint / Pakistan Point News - 7th May, 2022 ) :{BODY}",
        "Paris", None, "2022-05-07", BODY,
    ),
    (
        "sputnik-after-brand",
        f"BRUSSELS (UrduPoint News / Sputnik - 03rd December, 2021) {BODY}",
        "Brussels", "Sputnik", "2021-12-03", BODY,
    ),
    (
        "wam-after-brand",
        f"AJMAN, (UrduPoint / Pakistan Point News / WAM - 11th Mar, 2022) {BODY}",
        "Ajman", "WAM", "2022-03-11", BODY,
    ),
    (
        "staff-month-before-day",
        f"KARACHI: (UrduPoint/UrduPoint / Pakistan Point News-March 9th, 2022) {BODY}",
        "Karachi", None, "2022-03-09", BODY,
    ),
    (
        "online-before-brand",
        f"SIALKOT, (Online - UrduPoint / Pakistan Point News - 22nd Aug, 2020 ) :{BODY}",
        "Sialkot", "Online", "2020-08-22", BODY,
    ),
    (
        "inp-before-brand",
        f"MULTAN, (INP - UrduPoint / Pakistan Point News - 5th Oct, 2021 ) :{BODY}",
        "Multan", "INP", "2021-10-05", BODY,
    ),
    (
        "afp-after-brand",
        f"Kabul, Sept 5 (UrduPoint / Pakistan Point News / AFP - 05th Sep, 2019 ) :{BODY}",
        "Kabul", "AFP", "2019-09-05", BODY,
    ),
    (
        "reuters-after-brand",
        f"WASHINGTON, (UrduPoint / Pakistan Point News / Reuters - 12th Jan, 2022) :{BODY}",
        "Washington", "Reuters", "2022-01-12", BODY,
    ),
    (
        "unknown-agency-as-written",
        f"ANKARA, (UrduPoint / Pakistan Point News / Anadolu - 4th Apr, 2023) :{BODY}",
        "Ankara", "Anadolu", "2023-04-04", BODY,
    ),
    # Places
    (
        "place-with-abbreviation",
        f"MIRPUR (AJK) , (UrduPoint / Pakistan Point News - 2nd Mar, 2023 ) :{BODY}",
        "Mirpur (AJK)", None, "2023-03-02", BODY,
    ),
    (
        "place-three-words",
        f"DERA ISMAIL KHAN, (UrduPoint / Pakistan Point News - 8th Nov, 2022 ) :{BODY}",
        "Dera Ismail Khan", None, "2022-11-08", BODY,
    ),
    (
        "place-three-words-toba-tek-singh",
        f"TOBA TEK SINGH, (UrduPoint / Pakistan Point News - 15th Jul, 2021 ) :{BODY}",
        "Toba Tek Singh", None, "2021-07-15", BODY,
    ),
    (
        "place-with-dots",
        f"D.I. KHAN, (UrduPoint / Pakistan Point News - 1st Feb, 2021 ) :{BODY}",
        "D.I. Khan", None, "2021-02-01", BODY,
    ),
    (
        "place-with-hyphen",
        f"AL-AIN, (UrduPoint / Pakistan Point News / WAM - 6th Jun, 2022) {BODY}",
        "Al-Ain", "WAM", "2022-06-06", BODY,
    ),
    (
        "place-mixed-case-kept",
        f"New York, Feb 3 (UrduPoint / Pakistan Point News - 3rd Feb, 2023 ) :{BODY}",
        "New York", None, "2023-02-03", BODY,
    ),
    (
        "place-without-comma",
        f"PESHAWAR (UrduPoint / Pakistan Point News - 19th Sep, 2020 ) :{BODY}",
        "Peshawar", None, "2020-09-19", BODY,
    ),
    (
        "place-with-trailing-hyphen",
        f"KARACHI- (UrduPoint / Pakistan Point News - 19th Sep, 2020 ) :{BODY}",
        "Karachi", None, "2020-09-19", BODY,
    ),
    (
        "leading-whitespace",
        f"\n   LAHORE, (UrduPoint / Pakistan Point News - 30th Apr, 2022 ) :{BODY}",
        "Lahore", None, "2022-04-30", BODY,
    ),
    (
        "no-place",
        f"(UrduPoint / Pakistan Point News - 2nd Mar, 2023) {BODY}",
        None, None, "2023-03-02", BODY,
    ),
    # Separators
    (
        "separator-paren-colon",
        f"SUKKUR, (UrduPoint / Pakistan Point News - 03rd December, 2021):{BODY}",
        "Sukkur", None, "2021-12-03", BODY,
    ),
    (
        "separator-dash-colon",
        f"HYDERABAD, (UrduPoint / Pakistan Point News - 10th Mar, 2022 ) -:{BODY}",
        "Hyderabad", None, "2022-03-10", BODY,
    ),
    (
        "no-separator-body-opens-with-quote",
        'ISLAMABAD, (UrduPoint / Pakistan Point News - 2nd Feb, 2024) "We will," he said.',
        "Islamabad", None, "2024-02-02", '"We will," he said.',
    ),
    # Dates
    (
        "zero-padded-ordinal",
        f"BAHAWALPUR, (UrduPoint / Pakistan Point News - 02nd Mar, 2023 ) :{BODY}",
        "Bahawalpur", None, "2023-03-02", BODY,
    ),
    (
        "abbreviation-sept",
        f"SARGODHA, (UrduPoint / Pakistan Point News - 21st Sept, 2020 ) :{BODY}",
        "Sargodha", None, "2020-09-21", BODY,
    ),
    (
        "day-without-ordinal",
        f"CHITRAL, (UrduPoint / Pakistan Point News - 14 February 2022 ) :{BODY}",
        "Chitral", None, "2022-02-14", BODY,
    ),
    (
        "month-before-day-zero-padded",
        f"GILGIT: (UrduPoint/UrduPoint / Pakistan Point News-December 07th, 2022) {BODY}",
        "Gilgit", None, "2022-12-07", BODY,
    ),
    (
        "year-not-rolled-over-kept-as-written",
        f"Moscow, Jan 1 (UrduPoint / Pakistan Point News - 1st Jan, 2023 ) :{BODY}",
        "Moscow", None, "2023-01-01", BODY,
    ),
    (
        "impossible-date-is-none",
        f"MARDAN, (UrduPoint / Pakistan Point News - 30th Feb, 2022 ) :{BODY}",
        "Mardan", None, None, BODY,
    ),
    (
        "date-without-year-is-none",
        f"KOHAT, (UrduPoint / Pakistan Point News - 9th Jan) :{BODY}",
        "Kohat", None, None, BODY,
    ),
    (
        "date-in-unknown-shape-is-none-not-an-agency",
        f"LAHORE, (UrduPoint / Pakistan Point News - 2023-03-02 ) :{BODY}",
        "Lahore", None, None, BODY,
    ),
    # Brand spellings
    (
        "brand-lower-case",
        f"JHANG, (Urdupoint / Pakistan Point news - 4th May, 2021 ) :{BODY}",
        "Jhang", None, "2021-05-04", BODY,
    ),
    (
        "brand-no-space-after-slash",
        f"OKARA, (UrduPoint/ Pakistan Point news - 4th May, 2021 ) :{BODY}",
        "Okara", None, "2021-05-04", BODY,
    ),
    (
        "brand-misspelt-piont",
        f"KASUR, (UrduPoint / Pakistan Piont News - 17th Aug, 2021 ) :{BODY}",
        "Kasur", None, "2021-08-17", BODY,
    ),
    # UrduPoint Urdu
    (
        "urdu-with-agency-app",
        f"گوجرانوالہ (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 05 مارچ2024ء) {URDU_BODY}",
        "گوجرانوالہ", "APP", "2024-03-05", URDU_BODY,
    ),
    (
        "urdu-2015-online-glued-to-akhbar",
        f"لندن (اُردو پوائنٹ اخبارآن لائن۔14فروری۔2015ء) {URDU_BODY}",
        "لندن", "Online", "2015-02-14", URDU_BODY,
    ),
    (
        "urdu-brand-without-damma",
        f"لاہور (اردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 12 جون2023ء) {URDU_BODY}",
        "لاہور", "APP", "2023-06-12", URDU_BODY,
    ),
    (
        "urdu-inp",
        f"راولپنڈی (اُردو پوائنٹ اخبارتازہ ترین - آئی این پی۔ 21 اکتوبر2022ء) {URDU_BODY}",
        "راولپنڈی", "INP", "2022-10-21", URDU_BODY,
    ),
    (
        "urdu-sana-news",
        f"کوئٹہ (اُردو پوائنٹ اخبارتازہ ترین - ثنا نیوز۔ 01 ستمبر2021ء) {URDU_BODY}",
        "کوئٹہ", "Sana News", "2021-09-01", URDU_BODY,
    ),
    (
        "urdu-own-desk-no-agency",
        f"کراچی (اُردو پوائنٹ اخبارتازہ ترین۔ 12 جون2023ء) {URDU_BODY}",
        "کراچی", None, "2023-06-12", URDU_BODY,
    ),
    (
        "urdu-two-word-city",
        f"اسلام آباد (اُردو پوائنٹ اخبارتازہ ترین - آن لائن۔ 18 جولائی2025ء) {URDU_BODY}",
        "اسلام آباد", "Online", "2025-07-18", URDU_BODY,
    ),
    (
        "urdu-stray-colon-before-city",
        f": پشاور (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 07 اپریل2024ء) {URDU_BODY}",
        "پشاور", "APP", "2024-04-07", URDU_BODY,
    ),
    (
        "urdu-persian-digits",
        f"ملتان (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ ۰۵ مارچ۲۰۲۴ء) {URDU_BODY}",
        "ملتان", "APP", "2024-03-05", URDU_BODY,
    ),
    (
        "urdu-arabic-indic-digits",
        f"سکھر (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ ٠٥ مارچ٢٠٢٤ء) {URDU_BODY}",
        "سکھر", "APP", "2024-03-05", URDU_BODY,
    ),
    (
        "urdu-spaced-date",
        f"فیصل آباد (اُردو پوائنٹ اخبار آن لائن۔ 14 فروری 2015ء) {URDU_BODY}",
        "فیصل آباد", "Online", "2015-02-14", URDU_BODY,
    ),
    (
        "urdu-weekday-before-date",
        f"سیالکوٹ (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ جمعہ 18 جولائی 2025ء) {URDU_BODY}",
        "سیالکوٹ", "APP", "2025-07-18", URDU_BODY,
    ),
    (
        "urdu-month-spelt-mai-without-ye",
        f"حیدرآباد (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 03 مئ2021ء) {URDU_BODY}",
        "حیدرآباد", "APP", "2021-05-03", URDU_BODY,
    ),
    (
        "urdu-separator-colon",
        f"مردان (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 11 دسمبر2020ء) :{URDU_BODY}",
        "مردان", "APP", "2020-12-11", URDU_BODY,
    ),
    (
        "urdu-impossible-date-is-none",
        f"بنوں (اُردو پوائنٹ اخبارتازہ ترین - اے پی پی۔ 30 فروری2024ء) {URDU_BODY}",
        "بنوں", "APP", None, URDU_BODY,
    ),
    # Other Pakistani outlets
    (
        "app-month-day",
        f"ISLAMABAD, Aug 25 (APP): {BODY}",
        "Islamabad", "APP", None, BODY,
    ),
    (
        "app-no-date",
        f"ISLAMABAD (APP): {BODY}",
        "Islamabad", "APP", None, BODY,
    ),
    (
        "dawn-city-colon",
        f"KARACHI: {BODY}",
        "Karachi", None, None, BODY,
    ),
    (
        "dawn-older-month-day",
        f"HYDERABAD, Jan 20: {BODY}",
        "Hyderabad", None, None, BODY,
    ),
    (
        "dawn-three-words",
        f"DERA GHAZI KHAN: {BODY}",
        "Dera Ghazi Khan", None, None, BODY,
    ),
    (
        "dawn-with-abbreviation",
        f"MUZAFFARABAD (AJK): {BODY}",
        "Muzaffarabad (AJK)", None, None, BODY,
    ),
    (
        "the-news-no-space-after-colon",
        f"LAHORE:{BODY}",
        "Lahore", None, None, BODY,
    ),
    (
        "the-nation-hyphen",
        f"FAISALABAD - {BODY}",
        "Faisalabad", None, None, BODY,
    ),
    (
        "the-nation-en-dash",
        f"FAISALABAD – {BODY}",
        "Faisalabad", None, None, BODY,
    ),
    (
        "dunya",
        f"KARACHI (Dunya News) - {BODY}",
        "Karachi", "Dunya News", None, BODY,
    ),
    (
        "ppi-full-date-before-parenthesis",
        f"Lahore, December 07, 2022 (PPI-OT): {BODY}",
        "Lahore", "PPI", "2022-12-07", BODY,
    ),
    (
        "xinhua",
        f"BEIJING, Oct. 8 (Xinhua) -- {BODY}",
        "Beijing", "Xinhua", None, BODY,
    ),
    (
        "afp-dash",
        f"PARIS, March 3 (AFP) - {BODY}",
        "Paris", "AFP", None, BODY,
    ),
    # Wire and South Asian desk styles, made up in their shapes
    ("app-no-space-after-colon", f"GULABKOT, Mar 07 (APP):{BODY}", "Gulabkot", "APP", None, BODY),
    ("app-full-month-with-year", f"QUETTA, March 7, 2031 (APP): {BODY}", "Quetta", "APP", "2031-03-07", BODY),
    ("app-month-with-period-no-space", f"ALDERTON, Mar.07 (APP): {BODY}", "Alderton", "APP", None, BODY),
    ("app-foreign-with-country", f"ALDERTON, Ruritania, Mar 07 (APP): {BODY}",
     "Alderton, Ruritania", "APP", None, BODY),
    ("app-partner-agency-first", f"ALDERTON, Mar 07 (Xinhua/APP): {BODY}", "Alderton", "Xinhua", None, BODY),
    ("app-title-case-place", f"Peshawar (APP): {BODY}", "Peshawar", "APP", None, BODY),
    ("ppi-full-name", f"KARACHI (Pakistan Press International): {BODY}", "Karachi", "PPI", None, BODY),
    ("nni", f"ISLAMABAD, Jan 3 (NNI): {BODY}", "Islamabad", "NNI", None, BODY),
    ("sana", f"RAWALPINDI (SANA): {BODY}", "Rawalpindi", "Sana News", None, BODY),
    ("reuters-place-dash", f"WASHINGTON (Reuters) - {BODY}", "Washington", "Reuters", None, BODY),
    ("reuters-no-place", f"(Reuters) - {BODY}", None, "Reuters", None, BODY),
    ("ap-em-dash", f"KABUL, Afghanistan (AP) — {BODY}", "Kabul, Afghanistan", "AP", None, BODY),
    ("ians-no-separator", f"NEW DELHI, March 2 (IANS) {BODY}", "New Delhi", "IANS", None, BODY),
    ("pti-colon", f"MUMBAI, Feb 9 (PTI): {BODY}", "Mumbai", "PTI", None, BODY),
    ("ani-country-in-brackets", f"NEW DELHI [India], March 2 (ANI): {BODY}", "New Delhi [India]", "ANI", None, BODY),
    ("anadolu-full-name", f"ANKARA (Anadolu Agency) - {BODY}", "Ankara", "Anadolu", None, BODY),
    ("wam", f"ABU DHABI, 4th May, 2031 (WAM) -- {BODY}", "Abu Dhabi", "WAM", "2031-05-04", BODY),
    ("broadcaster-dunya", f"ISLAMABAD (Dunya News) - {BODY}", "Islamabad", "Dunya News", None, BODY),
    ("broadcaster-geo", f"LAHORE (Geo News) - {BODY}", "Lahore", "Geo News", None, BODY),
    ("agency-colon-glued-date", f"LAHORE (APP):Aug 25 {BODY}", "Lahore", "APP", None, BODY),
    ("agency-colon-glued-date-with-year", f"LAHORE (APP):Aug 25, 2031: {BODY}",
     "Lahore", "APP", "2031-08-25", BODY),
    ("agency-then-date-then-colon", f"GULABKOT (APP) Mar 07: {BODY}", "Gulabkot", "APP", None, BODY),
    ("dawn-several-places", f"GULABKOT/NEW SAMARPUR: {BODY}", "Gulabkot/New Samarpur", None, None, BODY),
    ("tribune-city-and-country", f"ALDERTON, RURITANIA: {BODY}", "Alderton, Ruritania", None, None, BODY),
    ("the-news-title-case-colon", f"Karachi: {BODY}", "Karachi", None, None, BODY),
    ("the-news-title-case-glued", f"Gulabkot:{BODY}", "Gulabkot", None, None, BODY),
    ("business-recorder-old-date", f"GULABKOT (March 7 2031): {BODY}", "Gulabkot", None, "2031-03-07", BODY),
    ("nation-hyphen-no-space-after", f"LAHORE -{BODY}", "Lahore", None, None, BODY),
    ("nation-hyphen-line-end", f"LAHORE -\n{BODY}", "Lahore", None, None, BODY),
    ("place-alone-on-its-line", f"ISLAMABAD\n{BODY}", "Islamabad", None, None, BODY),
    ("place-alone-in-its-paragraph", f"  SUKKUR \n\n{BODY}", "Sukkur", None, None, BODY),
    ("tribune-place-colon-own-block", f"GULABKOT:\n\n{BODY}", "Gulabkot", None, None, BODY),
    # What desks type: spaces and punctuation missing or doubled, names misspelt
    ("spaces-moved", f"ISLAMABAD ,Aug 25(APP) :{BODY}", "Islamabad", "APP", None, BODY),
    ("spaces-doubled-colon-doubled", f"ISLAMABAD,  Aug 25  (APP)::  {BODY}", "Islamabad", "APP", None, BODY),
    ("comma-doubled", f"GULABKOT,, Mar 7 (APP): {BODY}", "Gulabkot", "APP", None, BODY),
    ("comma-missing", f"GULABKOT Mar 07 (APP): {BODY}", "Gulabkot", "APP", None, BODY),
    ("agency-letter-doubled", f"ISLAMABAD, Aug 25 (APPP): {BODY}", "Islamabad", "APP", None, BODY),
    ("agency-letters-swapped", f"BEIJING, Oct. 8 (Xinhau) -- {BODY}", "Beijing", "Xinhua", None, BODY),
    ("agency-letter-missing", f"LONDON (Reuter) - {BODY}", "London", "Reuters", None, BODY),
    ("agency-dotted", f"SUKKUR (A.P.P.): {BODY}", "Sukkur", "APP", None, BODY),
    ("broadcaster-misspelt", f"KARACHI (Dunya Nws) - {BODY}", "Karachi", "Dunya News", None, BODY),
    ("brand-misspelt-urdu-piont", f"SWAT, (UrduPiont / Pakistan Point News - 3rd Mar, 2031) {BODY}",
     "Swat", None, "2031-03-03", BODY),
    ("brand-misspelt-pakistan-pont", f"SWAT, (UrduPoint / Pakstan Pont News - 3rd Mar, 2031) {BODY}",
     "Swat", None, "2031-03-03", BODY),
    # Urdu wire datelines
    ("urdu-app-place-date-agency", f"گلاب کوٹ۔7مارچ (اے پی پی):{URDU_BODY}", "گلاب کوٹ", "APP", None, URDU_BODY),
    ("urdu-app-place-date-agency-spaced", f"لاہور ۔ 25 اگست (اے پی پی) : {URDU_BODY}",
     "لاہور", "APP", None, URDU_BODY),
    ("urdu-agency-then-date", f"اسلام آباد (اے پی پی) 25 اگست: {URDU_BODY}", "اسلام آباد", "APP", None, URDU_BODY),
    ("urdu-agency-then-date-with-year", f"اسلام آباد (اے پی پی) 25 اگست 2031ء:{URDU_BODY}",
     "اسلام آباد", "APP", "2031-08-25", URDU_BODY),
    ("urdu-agency-glued-date", f"کراچی(آن لائن):25اگست {URDU_BODY}", "کراچی", "Online", None, URDU_BODY),
    ("urdu-xinhua", f"بیجنگ (شنہوا): {URDU_BODY}", "بیجنگ", "Xinhua", None, URDU_BODY),
    ("urdu-xinhua-zhe-spelling", f"بیجنگ (ژنہوا) - {URDU_BODY}", "بیجنگ", "Xinhua", None, URDU_BODY),
    ("urdu-nni", f"کوئٹہ (این این آئی): {URDU_BODY}", "کوئٹہ", "NNI", None, URDU_BODY),
    ("urdu-reuters", f"لندن (رائٹرز) : {URDU_BODY}", "لندن", "Reuters", None, URDU_BODY),
    ("urdu-afp", f"کابل (اے ایف پی) - {URDU_BODY}", "کابل", "AFP", None, URDU_BODY),
    ("urdu-comma-date", f"پشاور،25 اگست (آن لائن): {URDU_BODY}", "پشاور", "Online", None, URDU_BODY),
    # A place in title case before a colon, with a date or joined to another
    ("title-case-place-date-colon", f"Gulabkot, Mar 7: {BODY}", "Gulabkot", None, None, BODY),
    ("title-case-place-initials", f"D.G. Khan: {BODY}", "D.G. Khan", None, None, BODY),
    ("title-case-places-joined", f"Gulabkot/Samarpur: {BODY}", "Gulabkot/Samarpur", None, None, BODY),
    # An Urdu wire dateline: the date after the place, the agency in parentheses, no separator
    ("urdu-place-date-stop-agency", f"اسلام آباد ۔ 25 اگست ۔(اے پی پی) {URDU_BODY}",
     "اسلام آباد", "APP", None, URDU_BODY),
    ("urdu-place-weekday-date-agency", f"لاہور ۔جمعرات 7 مارچ 2031ء (این این آئی) {URDU_BODY}",
     "لاہور", "NNI", "2031-03-07", URDU_BODY),
    ("urdu-place-agency-no-separator", f"اسلام آباد (این این آئی) {URDU_BODY}", "اسلام آباد", "NNI", None, URDU_BODY),
    ("urdu-foreign-place-agency-no-separator", f"واشنگٹن (اے ایف پی) {URDU_BODY}", "واشنگٹن", "AFP", None, URDU_BODY),
    ("urdu-place-glued-agency", f"پشاور(پی پی آئی) {URDU_BODY}", "پشاور", "PPI", None, URDU_BODY),
    ("english-place-date-agency-no-separator", f"Gulabkot, Mar 7 (NNI) {BODY}", "Gulabkot", "NNI", None, BODY),
    # A broadcaster's name in parentheses before the dash, in either script
    ("broadcaster-92-news", f"ISLAMABAD (92 News) - {BODY}", "Islamabad", "92 News", None, BODY),
    ("broadcaster-samaa-news", f"KARACHI (Samaa News) – {BODY}", "Karachi", "Samaa", None, BODY),
    ("broadcaster-title-case-place", f"Lahore (Express News) - {BODY}", "Lahore", "Express News", None, BODY),
    ("broadcaster-after-colon", f"LAHORE: (Dunya News) {BODY}", "Lahore", "Dunya News", None, BODY),
    ("urdu-broadcaster-after-colon", f"لاہور: (دنیا نیوز) {URDU_BODY}", "لاہور", "Dunya News", None, URDU_BODY),
    ("urdu-broadcaster-dash", f"کراچی (جیو نیوز) - {URDU_BODY}", "کراچی", "Geo News", None, URDU_BODY),
    # The agency glued to the colon, the date after it with no space
    ("agency-colon-glued-date-glued-day", f"GULABKOT (APP):Mar7 {BODY}", "Gulabkot", "APP", None, BODY),
    ("agency-colon-glued-date-title-case", f"Gulabkot(PPI):Mar 7, 2031 {BODY}", "Gulabkot", "PPI", "2031-03-07", BODY),
    ("urdu-agency-colon-glued-date", f"لاہور(اے پی پی):7مارچ {URDU_BODY}", "لاہور", "APP", None, URDU_BODY),
    # A place standing alone: on its line, or before a dash glued to it
    ("title-case-place-alone", f"Islamabad\n{BODY}", "Islamabad", None, None, BODY),
    ("urdu-place-alone", f"اسلام آباد\n\n{URDU_BODY}", "اسلام آباد", None, None, URDU_BODY),
    ("urdu-place-colon", f"کراچی: {URDU_BODY}", "کراچی", None, None, URDU_BODY),
    ("title-case-place-dash", f"Quetta — {BODY}", "Quetta", None, None, BODY),
    ("caps-place-em-dash-glued", f"GULABKOT—{BODY}", "Gulabkot", None, None, BODY),
    ("caps-place-hyphen-glued", f"GULABKOT-{BODY}", "Gulabkot", None, None, BODY),
    ("title-case-place-em-dash-glued", f"Islamabad—{BODY}", "Islamabad", None, None, BODY),
    ("title-case-place-hyphen-glued", f"Quetta-{BODY}", "Quetta", None, None, BODY),
    ("title-case-place-spaced-dash", f"Karachi          -          {BODY}", "Karachi", None, None, BODY),
    ("urdu-broadcaster-bbc", f"لندن (بی بی سی) {URDU_BODY}", "لندن", "BBC", None, URDU_BODY),
    ("caps-place-title-case-country", f"ALDERTON, Ruritania: {BODY}", "Alderton, Ruritania", None, None, BODY),
    ("caps-place-two-word-country", f"ALDERTON, United Ruritania — {BODY}",
     "Alderton, United Ruritania", None, None, BODY),
    ("caps-place-colon-date-dash", f"GULABKOT: March 7 - {BODY}", "Gulabkot", None, None, BODY),
    # The outlet's own desk where an agency would be
    ("own-desk-staff-reporter", f"KARACHI (Staff Reporter): {BODY}", "Karachi", None, None, BODY),
    ("urdu-own-desk-with-outlet", f"لاہور (نمائندہ جنگ) {URDU_BODY}", "لاہور", None, None, URDU_BODY),
    ("urdu-own-desk-glued", f"کراچی(نیوزڈیسک) {URDU_BODY}", "کراچی", None, None, URDU_BODY),
    # More of what desks type
    ("comma-between-month-and-day", f"GULABKOT, Mar, 7 (APP): {BODY}", "Gulabkot", "APP", None, BODY),
    ("full-stop-for-comma", f"GULABKOT. Mar 7 (APP): {BODY}", "Gulabkot", "APP", None, BODY),
    ("semicolon-for-colon", f"GULABKOT, Mar 7 (APP); {BODY}", "Gulabkot", "APP", None, BODY),
    ("colon-doubled-after-place", f"GULABKOT:: {BODY}", "Gulabkot", None, None, BODY),
    ("wire-dashes-glued", f"BEIJING, Mar. 7 (Xinhua)--{BODY}", "Beijing", "Xinhua", None, BODY),
    ("agency-letters-swapped-urdu-style-wire", f"GULABKOT, Mar 7 (Xinuha) -- {BODY}", "Gulabkot", "Xinhua", None, BODY),
    ("agency-letter-missing-online", f"GULABKOT, Mar 7 (Onlne): {BODY}", "Gulabkot", "Online", None, BODY),
    ("spaces-inside-parenthesis", f"GULABKOT, Mar 7 ( PPI ) : {BODY}", "Gulabkot", "PPI", None, BODY),
    ("reuters-city-country-date", f"KARACHI, Pakistan, March 7 (Reuters) - {BODY}",
     "Karachi, Pakistan", "Reuters", None, BODY),
    ("afp-title-case-en-dash", f"Islamabad (AFP) – {BODY}", "Islamabad", "AFP", None, BODY),
    ("pti-title-case-no-separator", f"Islamabad, Mar 7 (PTI) {BODY}", "Islamabad", "PTI", None, BODY),
    # A date after "): " and a space opens the body: it stays there
    ("spaced-date-after-colon-stays-in-body", "LAHORE (APP): Aug 25 marks the anniversary.",
     "Lahore", "APP", None, "Aug 25 marks the anniversary."),
]

NOT_DATELINES = [
    ("empty", ""),
    ("whitespace", " \n\t "),
    ("sentence", "The government said on Monday that the budget would be presented in June."),
    ("parenthesis-in-sentence", "Prime Minister (PM) Shehbaz Sharif said the talks went well."),
    ("parenthesis-and-colon", "Prime Minister (PM): the talks went well."),
    ("known-agency-after-a-word", "Shopping (online): prices rose again."),
    ("quote", '"We will not back down," the minister said.'),
    ("caps-word-in-sentence", "KARACHI is the largest city of Pakistan."),
    ("title-case-colon", "Karachi: the city woke up to rain."),
    ("note", "Note: this story has been updated."),
    ("caps-note", "NOTE: this story has been updated."),
    ("caps-update", "UPDATE: the match was postponed."),
    ("two-letter-caps", "PM: the talks went well."),
    ("dateline-not-at-start", f"Earlier today. KARACHI: {BODY}"),
    ("urdu-sentence", "وزیراعظم نے کہا کہ حکومت مہنگائی پر قابو پائے گی۔"),
    ("urdu-parenthesis-without-brand", "وزیراعظم (پی ایم) نے کہا کہ مذاکرات کامیاب رہے۔"),
    ("urdu-continued-marker", "(جاری ہے)"),
    ("country-title-case-lower-after-colon", "Pakistan: the road ahead"),
    ("caps-team-name-in-sentence", "KARACHI KINGS won the final on Sunday."),
    ("title-case-phrase-colon", "Prime Minister Said: We will not back down."),
    ("title-case-sentence-colon-midway", "The Cabinet Met In Lahore On Monday And Agreed: The Budget Will Wait."),
    ("caps-label-alone-on-line", f"BREAKING\n{BODY}"),
    ("title-case-label", "Breaking News: The match was called off."),
    ("editors-note", "Editor's Note: This story has been corrected."),
    ("watch-label", "Watch: The minister's full speech."),
    ("agency-word-without-separator", "KARACHI (Online) shopping grew by a third."),
    ("title-case-word-agency-without-separator", "Shopping (Online) Prices rose again."),
    ("unknown-name-in-parenthesis", "ISLAMABAD (Prime Minister Office): The talks went well."),
    ("urdu-agency-in-sentence", "وزیراعظم (اے پی پی) نے کہا کہ مذاکرات کامیاب رہے۔"),
    ("place-alone-then-lower-case", "ISLAMABAD\nand its suburbs woke up to rain."),
    ("sentence-opening-with-a-place", "Lahore witnessed heavy rain on Monday."),
    ("place-then-comma-and-a-clause", "Karachi, the largest city, was flooded."),
    ("place-dash-lower-case", "Quetta — the city woke up to snow."),
    ("team-dash-sentence", "Peshawar Zalmi — The team won the final."),
    ("person-dash-sentence", "Imran Khan — The former prime minister said."),
    ("team-abbreviation", "Lahore Qalandars (LQ) won the final."),
    ("title-case-label-alone", f"Summary\n{BODY}"),
    ("urdu-sentence-opening-with-a-place", "کراچی میں بارش ہوئی۔"),
    ("urdu-agency-then-postposition-after-place", "لاہور (اے پی پی) کے مطابق بارش ہوئی۔"),
    ("urdu-phrase-colon", "وزیراعظم: حکومت مہنگائی پر قابو پائے گی۔"),
    ("urdu-court-abbreviation", "اسلام آباد ہائی کورٹ (آئی ایچ سی) نے فیصلہ دیا۔"),
    ("caps-party-hyphen-lower-case", "PTI-backed candidates won the by-elections."),
    ("caps-words-hyphenated", "ANTI-TERRORISM COURT hears the case."),
]


@pytest.mark.parametrize(
    ("text", "place", "agency", "date", "body_start"),
    [row[1:] for row in DATELINES],
    ids=[row[0] for row in DATELINES],
)
def test_reads_dateline(text, place, agency, date, body_start):
    dateline = parse_dateline(text, BRAND)

    assert dateline is not None
    assert (dateline.place, dateline.agency) == (place, agency)
    assert (dateline.date.isoformat() if dateline.date else None) == date
    assert dateline.body.startswith(body_start)


@pytest.mark.parametrize(
    ("text", "body"), [(row[1], row[5]) for row in DATELINES], ids=[row[0] for row in DATELINES]
)
def test_body_is_the_rest_of_the_text(text, body):
    """Each row's text ends with its body: the cut takes the dateline and its separator, nothing more."""
    assert parse_dateline(text, BRAND).body == body


def test_seed_dateline_whole():
    text = (
        "New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 ) :"
        "The United States and Russia met..."
    )
    assert parse_dateline(text, BRAND) == Dateline(
        raw="New Delhi, March 2 (UrduPoint / Pakistan Point News - 2nd Mar, 2023 )",
        place="New Delhi",
        agency=None,
        date=datetime.date(2023, 3, 2),
        body="The United States and Russia met...",
    )


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        (f"QUETTA, (UrduPoint / Pakistan Point News - 9th Jan, 2024) {BODY}",
         "QUETTA, (UrduPoint / Pakistan Point News - 9th Jan, 2024)"),
        (f"HYDERABAD, (UrduPoint / Pakistan Point News - 10th Mar, 2022 ) -:{BODY}",
         "HYDERABAD, (UrduPoint / Pakistan Point News - 10th Mar, 2022 )"),
        (f": لندن (اُردو پوائنٹ اخبارآن لائن۔14فروری۔2015ء) {URDU_BODY}",
         "لندن (اُردو پوائنٹ اخبارآن لائن۔14فروری۔2015ء)"),
        (f"BEIJING, Oct. 8 (Xinhua) -- {BODY}", "BEIJING, Oct. 8 (Xinhua)"),
        (f"HYDERABAD, Jan 20: {BODY}", "HYDERABAD, Jan 20"),
        (f"FAISALABAD - {BODY}", "FAISALABAD"),
    ],
    ids=["no-separator", "dash-colon", "urdu-stray-colon", "xinhua", "dawn-month-day", "nation"],
)
def test_raw_is_the_dateline_as_written(text, raw):
    assert parse_dateline(text, BRAND).raw == raw


@pytest.mark.parametrize(
    "text", [row[1] for row in NOT_DATELINES], ids=[row[0] for row in NOT_DATELINES]
)
def test_no_dateline(text):
    assert parse_dateline(text, BRAND) is None


@pytest.mark.parametrize(
    "text", [row[1] for row in DATELINES], ids=[row[0] for row in DATELINES]
)
def test_raw_and_body_rebuild_the_text(text):
    """Only whitespace, a stray colon and the separator lie outside raw and body."""
    dateline = parse_dateline(text, BRAND)
    before, raw, after = text.partition(dateline.raw)
    separator = after[: len(after) - len(dateline.body)]

    assert raw and after.endswith(dateline.body)
    assert before.strip(" \n\t:") == ""
    assert separator.strip(" \n\t:;-–—") == ""


def _junk(rng: random.Random) -> str:
    """A string from characters that datelines are made of, plus any code point at all."""
    pieces = list("ABCKRIab ,:;-–—()/.\n\t0123456789۰۵٠٥ءاُردو پوائنٹ۔،\u200c\u200f\ufeff")
    pieces += ["UrduPoint", "Pakistan Point News", "APP", "2nd", "Mar", "مارچ", "KARACHI", "(AJK)"]
    return "".join(
        rng.choice(pieces) if rng.random() < 0.9 else chr(rng.randrange(0x110000))
        for _ in range(rng.randrange(400))
    )


def _assert_none_or_from(text: str) -> None:
    dateline = parse_dateline(text, BRAND)
    assert dateline is None or (dateline.raw in text and text.endswith(dateline.body))


def test_never_raises_on_junk():
    rng = random.Random(20240305)
    for _ in range(3000):
        _assert_none_or_from(_junk(rng))


def test_never_raises_on_damaged_datelines():
    """Real shapes with characters dropped, doubled or swapped still parse or give None."""
    rng = random.Random(7)
    for _ in range(3000):
        text = list(rng.choice(DATELINES)[1])
        for _ in range(rng.randrange(1, 6)):
            i = rng.randrange(len(text))
            text[i : i + 1] = rng.choice([[], [text[i]] * 2, [rng.choice("():-,/ ۔ء")]])
        _assert_none_or_from("".join(text))


def _parts(found: Dateline | None) -> tuple | None:
    return found and (found.raw, found.place, found.agency, found.date)


class PatternSpy:
    """One of the dateline module's compiled patterns, run as itself, refusing a string longer than ``limit``.

    Every length it is run on is noted in ``lengths``; a longer string fails at once,
    before the pattern could spend long on it.
    """

    def __init__(self, name: str, pattern: re.Pattern, lengths: list[int], limit: int):
        self.name, self.pattern, self.lengths, self.limit = name, pattern, lengths, limit

    def __getattr__(self, method_name):
        method = getattr(self.pattern, method_name)

        def run(*args, **kwargs):
            length = max((len(arg) for arg in args if isinstance(arg, str)), default=0)
            self.lengths.append(length)
            assert length <= self.limit, f"{self.name}.{method_name} run on {length:,} characters"
            return method(*args, **kwargs)

        return run


@pytest.fixture
def regex_inputs(monkeypatch) -> list[int]:
    """The lengths of the strings the dateline module's regexes are run on from here on."""
    lengths: list[int] = []
    for name, value in vars(dateline_module).items():
        if isinstance(value, re.Pattern):
            monkeypatch.setattr(dateline_module, name, PatternSpy(name, value, lengths, HEAD_CHARS))
    return lengths


@pytest.mark.parametrize(
    "text",
    [
        " " * 1_000_000,
        "A" * 1_000_000,
        "A " * 500_000,
        "(" * 500_000,
        ":" * 500_000,
        "KARACHI " + "(" * 500_000,
        "Ab " * 100 + "(" + "x" * 500_000,
        "لاہور " * 200_000,
        "(" + "2nd Mar, " * 100_000,
        "(" + "05 مارچ۔ " * 100_000,
        "AAA" + " A" * 500_000 + ":",
        "\u200f" * 500_000,
        f"KARACHI: {BODY * 50_000}",
    ],
    ids=["spaces", "letters", "words", "open-parens", "colons", "caps-then-parens",
         "words-then-long-parenthesis", "urdu-words", "english-dates", "urdu-dates",
         "many-caps-words", "rtl-marks", "long-body"],
)
def test_huge_inputs_are_read_only_up_to_the_head(text, regex_inputs):
    """Parsing costs the same on a megabyte as on the first HEAD_CHARS characters: no regex sees more."""
    found = parse_dateline(text, BRAND)
    assert regex_inputs and max(regex_inputs) <= HEAD_CHARS
    assert found is None or (found.raw in text[:HEAD_CHARS] and text.endswith(found.body))
    cut = parse_dateline(text[: 2 * HEAD_CHARS], BRAND)  # what follows the head changes nothing but the body
    assert _parts(found) == _parts(cut)


AGENCY_SPELLINGS = [
    ("latin", "APP", "APP"),
    ("lower-case", "app", "APP"),
    ("dotted", "A.P.P.", "APP"),
    ("full-name", "Associated Press of Pakistan", "APP"),
    ("urdu", "اے پی پی", "APP"),
    ("urdu-no-spaces", "اےپیپی", "APP"),
    ("sub-service", "PPI-OT", "PPI"),
    ("partner-credit", "Xinhua/APP", "Xinhua"),
    ("urdu-xinhua", "شنہوا", "Xinhua"),
    ("urdu-xinhua-zhe", "ژنہوا", "Xinhua"),
    ("urdu-online", "آن لائن", "Online"),
    ("urdu-inp", "آئی این پی", "INP"),
    ("urdu-nni", "این این آئی", "NNI"),
    ("urdu-sana", "ثنا نیوز", "Sana News"),
    ("sana-caps", "SANA", "Sana News"),
    ("urdu-reuters", "رائٹرز", "Reuters"),
    ("urdu-afp", "اے ایف پی", "AFP"),
    ("associated-press", "Associated Press", "AP"),
    ("ap-is-not-app", "AP", "AP"),
    ("letter-swapped", "Xinhau", "Xinhua"),
    ("letter-missing", "Reuter", "Reuters"),
    ("letter-extra", "Bloombergg", "Bloomberg"),
    ("letter-wrong", "Anadulu", "Anadolu"),
    ("short-name-letter-doubled", "APPP", "APP"),
    ("broadcaster-letter-missing", "Dunya Nws", "Dunya News"),
    ("short-name-letter-wrong-is-unknown", "AFB", None),
    ("short-name-doubled-to-two-letters-is-unknown", "AAP", None),
    ("broadcaster-samaa-news", "Samaa News", "Samaa"),
    ("broadcaster-urdu-92", "92 نیوز", "92 News"),
    ("broadcaster-urdu-express", "ایکسپریس نیوز", "Express News"),
    ("urdu-arabic-keyboard-yeh", "اے پي پي", "APP"),
    ("urdu-arabic-keyboard-heh", "شنهوا", "Xinhua"),
    ("urdu-without-madda", "ان لائن", "Online"),
    ("a-city", "Kabul", None),
    ("own-desk-is-no-agency", "Staff Reporter", None),
    ("a-word", "prices", None),
    ("urdu-word", "پی ایم", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(
    ("written", "name"), [row[1:] for row in AGENCY_SPELLINGS], ids=[row[0] for row in AGENCY_SPELLINGS]
)
def test_agency_name(written, name):
    assert agency_name(written) == name


@pytest.mark.parametrize(
    ("written", "desk"),
    [("Staff Reporter", True), ("Our Correspondent", True), ("web desk", True), ("نمائندہ جنگ", True),
     ("نیوزڈیسک", True), ("اسٹاف رپورٹر", True), ("APP", False), ("Prime Minister Office", False),
     ("Reporter of the year", False)],
)
def test_own_desk(written, desk):
    assert is_own_desk(written) is desk


def test_every_spelling_in_the_table_names_its_own_agency():
    """No spelling of one agency is taken, exactly or as a near miss, for another."""
    for name, spellings in AGENCIES.items():
        for spelling in (name, *spellings):
            assert agency_name(spelling) == name, spelling


@pytest.mark.parametrize(
    ("text", "fields", "body"),
    [
        (f"گلاب کوٹ۔7مارچ 2031ء (اے پی پی):{URDU_BODY}\n\nدوسرا پیراگراف۔",
         ("گلاب کوٹ۔7مارچ 2031ء (اے پی پی)", "گلاب کوٹ", "APP", "2031-03-07"), f"{URDU_BODY}\n\nدوسرا پیراگراف۔"),
        (f"BEIJING, Oct. 8, 2031 (Xinhau) -- {BODY}\n\nSecond paragraph.",
         ("BEIJING, Oct. 8, 2031 (Xinhau)", "Beijing", "Xinhua", "2031-10-08"), f"{BODY}\n\nSecond paragraph."),
        (f"ISLAMABAD\n\n{BODY}\n\nSecond paragraph.",
         ("ISLAMABAD", "Islamabad", None, None), f"{BODY}\n\nSecond paragraph."),
    ],
    ids=["urdu-app-wire", "xinhua-misspelt", "place-alone"],
)
def test_pipeline_cuts_other_outlets_datelines(text, fields, body):
    """The pipeline stores what the parser reads and keeps every paragraph after the dateline."""
    stats = get_crawler().stats
    item = ArticleItem(url="https://example.com/a", fetched_url="https://example.com/a", body=b"",
                       encoding="utf-8", fetched_at="2031-03-07T00:00:00+00:00", text=text)

    item = DatelinePipeline(stats, Profiles()).process_item(item)

    assert (item.dateline, item.dateline_place, item.dateline_agency, item.dateline_date) == fields
    assert item.text == body
    assert stats.get_value("dateline/found") == 1


def test_a_dateline_read_ahead_in_a_worker_is_taken_only_for_the_text_it_was_read_from():
    text = f"LAHORE: {BODY}"
    ahead = Dateline("GULABKOT", "Gulabkot", None, None, BODY)  # what no parse of the text gives
    items = [ArticleItem(url=f"https://example.com/{name}", fetched_url=f"https://example.com/{name}", body=b"",
                         encoding="utf-8", fetched_at="2031-03-07T00:00:00+00:00", text=text, dated=(read, ahead))
             for name, read in (("same", text), ("edited", f"KARACHI: {BODY}"))]
    same, edited = (DatelinePipeline(get_crawler().stats, Profiles()).process_item(item) for item in items)
    assert (same.dateline_place, same.dated) == ("Gulabkot", None)
    assert (edited.dateline_place, edited.text) == ("Lahore", BODY)


def test_a_dateline_after_a_print_storys_summary_points_is_read_and_the_points_kept():
    text = "• Industrial supply cut by 20pc\n\n• Tanker fees frozen\n\nKARACHI: The Sindh cabinet on Monday met."
    found = parse_dateline(text)
    assert (found.raw, found.place, found.body) == (
        "KARACHI", "Karachi", "• Industrial supply cut by 20pc\n\n• Tanker fees frozen\n\nThe Sindh cabinet on Monday met.")
    assert parse_dateline("• Industrial supply cut by 20pc\n\nThe Sindh cabinet on Monday met.") is None


@pytest.mark.parametrize(
    ("text", "place", "body"),
    [
        (f"Our Staff Reporter\n\nLAHORE - {BODY}", "Lahore", f"Our Staff Reporter\n\n{BODY}"),
        (f"By Sadia Rahman\nIslamabad—{BODY}", "Islamabad", f"By Sadia Rahman\n{BODY}"),
        (f"نمائندہ خصوصی\nکراچی: {URDU_BODY}", "کراچی", f"نمائندہ خصوصی\n{URDU_BODY}"),
    ],
    ids=["desk", "by-name", "urdu-desk"],
)
def test_a_dateline_after_a_byline_line_is_read_and_the_byline_kept(text, place, body):
    found = parse_dateline(text)
    assert (found.place, found.body) == (place, body)


@pytest.mark.parametrize(
    "text",
    [f"Wheat prices\n\nLAHORE - {BODY}", f"By the way\nthe cabinet met.", f"Staff Reporter\n\n{BODY}"],
    ids=["a-heading-is-not-a-byline", "by-without-dateline", "byline-without-dateline"],
)
def test_a_first_line_that_is_no_byline_or_has_no_dateline_after_it_gives_none(text):
    assert parse_dateline(text) is None
