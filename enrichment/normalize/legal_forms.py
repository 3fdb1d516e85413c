"""Legal-form designators stripped from company names to build a matching key.

Evidence:
- International forms: ``legal_names.csv`` of the PyPI package name-matching 0.9.22
  (De Nederlandsche Bank, MIT licence). The forms we meet in RU/DE/EU/US lead lists are
  written out below with their usual labels; the whole file is shipped as
  ``enrichment/data/legal_names.csv`` and read by :func:`reference_forms` for the rest
  (after the table below, so its labels win).
- Russian forms: ОКОПФ, the all-Russian classifier of organisational and legal forms
  (ОК 028-2012), with the abbreviations used on letterheads (ООО, АО, ПАО, ИП …) and the
  Latin spellings Russian companies use for themselves (OOO, ZAO, LLC, JSC, PJSC …).
- German forms not in the CSV: gGmbH (§ 4 GmbHG), UG (haftungsbeschränkt) (§ 5a GmbHG),
  e.K./e.Kfm./e.Kfr. (§ 19 HGB), SE (Council Regulation (EC) No 2157/2001).

Each entry is ``(label, where, variants)``: ``label`` is what ``CompanyName.legal_form``
reports, ``where`` is "both" (seen before or after the name, as in "ООО «Ромашка»" and
"Ромашка, ООО") or "end" (only after the name: short Latin forms such as "AG" or "SA" would
eat real first words like "AG Barr"), and ``variants`` are written spellings; matching
compares them with dots, slashes, quotes and spaces removed, so "s.r.l.", "S. R. L." and
"SRL" are one form.
"""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

LEGAL_FORMS: tuple[tuple[str, str, str], ...] = (
    # --- Russia and the CIS (ОКОПФ ОК 028-2012) ---
    ("ООО", "both", "ооо|общество с ограниченной ответственностью|ooo"),
    ("ОДО", "both", "одо|общество с дополнительной ответственностью"),
    ("ПАО", "both", "пао|публичное акционерное общество|pao"),
    ("НАО", "both", "нао|непубличное акционерное общество"),
    ("ЗАО", "both", "зао|закрытое акционерное общество|zao|3ao"),
    ("ОАО", "both", "оао|открытое акционерное общество|oao"),
    ("АО", "both", "ао|акционерное общество|ao"),
    ("ИП", "both", "ип|индивидуальный предприниматель"),
    ("ФГУП", "both", "фгуп|федеральное государственное унитарное предприятие"),
    ("ГУП", "both", "гуп|государственное унитарное предприятие"),
    ("МУП", "both", "муп|муниципальное унитарное предприятие"),
    ("ФГБУ", "both", "фгбу|федеральное государственное бюджетное учреждение"),
    ("ГБУ", "both", "гбу|государственное бюджетное учреждение"),
    ("МБУ", "both", "мбу|муниципальное бюджетное учреждение"),
    ("ГАУ", "both", "гау|государственное автономное учреждение"),
    ("МАУ", "both", "мау|муниципальное автономное учреждение"),
    ("ГКУ", "both", "гку|государственное казенное учреждение"),
    ("МКУ", "both", "мку|муниципальное казенное учреждение"),
    ("АНО", "both", "ано|автономная некоммерческая организация"),
    ("НКО", "both", "нко|некоммерческая организация"),
    ("ТОО", "both", "тоо|товарищество с ограниченной ответственностью"),
    ("ТОВ", "both", "тов|товариство з обмеженою відповідальністю"),
    ("ЧП", "both", "чп|частное предприятие"),
    ("ПК", "both", "пк|производственный кооператив"),
    ("КФХ", "both", "кфх|крестьянское фермерское хозяйство"),
    ("ФОП", "both", "фоп|фізична особа-підприємець"),
    ("PJSC", "both", "pjsc"),
    ("OJSC", "both", "ojsc"),
    ("CJSC", "both", "cjsc"),
    ("JSC", "both", "jsc"),
    # --- Germany, Austria, Switzerland ---
    ("GmbH & Co. KGaA", "end", "gmbh & co. kgaa"),
    ("GmbH & Co. KG", "end", "gmbh & co. kg|gmbh & co kg|gmbh u. co. kg|mbh & co. kg"),
    ("UG & Co. KG", "end", "ug (haftungsbeschränkt) & co. kg|ug & co. kg"),
    ("AG & Co. KG", "end", "ag & co. kg"),
    ("UG (haftungsbeschränkt)", "end", "ug (haftungsbeschränkt)|ug (haftungsbeschrankt)"),
    ("gGmbH", "end", "ggmbh"),
    ("GmbH", "end", "gmbh|g.m.b.h.|gesellschaft mit beschränkter haftung|ges.m.b.h.|mbh"),
    ("KGaA", "end", "kgaa|kommanditgesellschaft auf aktien"),
    ("AG", "end", "ag|a.g.|aktiengesellschaft"),
    ("KG", "end", "kg|k.g.|kommanditgesellschaft"),
    ("OHG", "end", "ohg|offene handelsgesellschaft"),
    ("GbR", "end", "gbr|gesellschaft bürgerlichen rechts"),
    ("PartG mbB", "end", "partg mbb|partgmbb"),
    ("PartG", "end", "partg|partnerschaftsgesellschaft"),
    ("UG", "end", "ug"),
    ("e.K.", "end", "e.k.|e.kfm.|e.kfr.|eingetragener kaufmann|eingetragene kauffrau"),
    ("e.V.", "end", "e.v.|eingetragener verein"),
    ("eG", "end", "eg|eingetragene genossenschaft"),
    ("SE", "end", "se|societas europaea"),
    # --- English-speaking ---
    ("LLC", "both", "llc|l.l.c.|limited liability company"),
    ("PLLC", "end", "pllc|p.l.l.c."),
    ("LLP", "end", "llp|l.l.p.|limited liability partnership"),
    ("LP", "end", "lp|l.p.|limited partnership"),
    ("PLC", "end", "plc|public limited company"),
    ("Co., Ltd.", "end", "co. ltd.|co ltd|company limited"),
    ("Pty Ltd", "end", "pty ltd|pty. ltd.|proprietary limited"),
    ("Pvt Ltd", "end", "pvt ltd|pvt. ltd.|private limited"),
    ("Pte Ltd", "end", "pte ltd|pte. ltd."),
    ("Ltd", "end", "ltd|ltd.|limited"),
    ("Inc", "end", "inc|inc.|incorporated"),
    ("Corp", "end", "corp|corp.|corporation"),
    ("& Co", "end", "& co|& co.|and co|and company|& company|u. co."),
    ("Co", "end", "co|co.|company"),
    # --- France, Benelux, Southern Europe, Latin America ---
    ("S.A. de C.V.", "end", "s.a. de c.v."),
    ("SASU", "end", "sasu"),
    ("SAS", "end", "sas|s.a.s."),
    ("SARL", "end", "sarl|s.a.r.l."),
    ("EURL", "end", "eurl|e.u.r.l."),
    ("SNC", "end", "snc|s.n.c."),
    ("S.p.A.", "end", "s.p.a.|spa"),
    ("S.r.l.", "end", "s.r.l.|srl|s.r.l.s."),
    ("S.L.U.", "end", "s.l.u.|slu"),
    ("S.L.", "end", "s.l.|sl"),
    ("S.A.", "end", "s.a.|sa|société anonyme|sociedad anónima"),
    ("Ltda", "end", "ltda|ltda.|lda|lda."),
    ("B.V.", "end", "b.v.|bv|besloten vennootschap"),
    ("N.V.", "end", "n.v.|nv|naamloze vennootschap"),
    ("BVBA", "end", "bvba|b.v.b.a."),
    ("VOF", "end", "vof|v.o.f."),
    # --- Nordic and Baltic (often written before the name) ---
    ("Oyj", "both", "oyj"),
    ("Oy", "both", "oy|o.y."),
    ("ASA", "end", "asa"),
    ("AS", "both", "as|a/s|a.s."),
    ("ApS", "end", "aps"),
    ("AB", "both", "ab"),
    ("HB", "end", "hb"),
    ("UAB", "both", "uab"),
    ("SIA", "both", "sia"),
    ("OÜ", "both", "oü|ou"),
    # --- Central and Eastern Europe ---
    ("sp. z o.o.", "end", "sp. z o.o.|sp. z.o.o.|spółka z ograniczoną odpowiedzialnością"),
    ("sp.k.", "end", "sp.k."),
    ("sp.j.", "end", "sp.j."),
    ("S.K.A.", "end", "s.k.a."),
    ("s.r.o.", "end", "s.r.o.|spol. s r.o.|spol. s r. o."),
    ("k.s.", "end", "k.s."),
    ("v.o.s.", "end", "v.o.s."),
    ("d.o.o.", "end", "d.o.o.|doo"),
    ("d.d.", "end", "d.d."),
    ("Kft.", "end", "kft.|kft"),
    ("Zrt.", "end", "zrt.|zrt"),
    ("Nyrt.", "end", "nyrt.|nyrt"),
    ("Bt.", "end", "bt."),
    # --- Asia-Pacific ---
    ("Sdn Bhd", "end", "sdn bhd|sdn. bhd."),
    ("Bhd", "end", "bhd|bhd."),
    ("PT", "both", "pt"),
    ("K.K.", "end", "k.k."),
)


# From the reference file, only designators that cannot be an ordinary last word of a name:
# three or more letters once dots and spaces are gone ("Acme UK", "Müller AT", "Foto SC" keep
# their last word), and not one of these words seen in names (French "état", Spanish "sal",
# "cooperative" shortened, CIO, VAT …).
_REFERENCE_SKIP = frozenset(
    "etat sem sep sal ent coop koop cio vat ans dat kor teo gte fcp cic scs sca pte fa ba "
    "obrt ovee tmi".split()
)


_PIECES_RE = re.compile(r"[\s.]+")


def reference_forms() -> tuple[tuple[str, str, str], ...]:
    """Entries of the shipped reference list, in the shape of ``LEGAL_FORMS`` ("end" only)."""
    try:
        text = resources.files("enrichment").joinpath("data/legal_names.csv").read_text("utf-8")
    except (FileNotFoundError, OSError):  # a broken install: the table above still works
        return ()
    out: list[tuple[str, str, str]] = []
    for row in csv.DictReader(io.StringIO(text)):
        abbr = (row.get("abbreviation") or "").strip()
        full = (row.get("full_name") or "").strip()
        compact = "".join(c for c in abbr.casefold() if c.isalnum())
        # spelled-out forms of two to six words ("kommanditgesellschaft auf aktien"); longer
        # ones are never written out in a name and would only lengthen every lookup
        variants = [full] if 2 <= len(full.split()) <= 6 else []
        if len(compact) >= 3 and compact not in _REFERENCE_SKIP:
            variants.append(abbr)
        variants = [v for v in variants if len(_PIECES_RE.split(v.strip(". "))) <= 6]
        if variants:
            out.append((abbr, "end", "|".join(variants)))
    return tuple(out)
