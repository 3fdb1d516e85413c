"""Job titles: seniority, department and whether the holder decides (RU / EN / DE).

Ordered keyword tables, compiled once (as tries, see ``rulematch``), first match wins; every
rule has a name so ``reason`` can cite it. The seniority levels are the ones B2B contact
databases (Apollo, ZoomInfo) use. Rules are written from real Russian, English and German
contact pages; the Russian abbreviations (ген., зам., нач., гл., ГИП, и.о.) are the ones of
Russian staff lists (штатное расписание). The English rules were measured and extended on the
O*NET alternate titles (``bench/bench_titles.py``, a 500-title sample in tests/fixtures/titles:
SOC 11-xxxx "management" as the decision-maker label).

The decision-maker rule is the default of ABM practice (``DECIDING`` plus the named rules for
chief accountant, chief engineer, site manager and Prokurist; deputies keep their level); a
segment adds its own decision makers with :class:`DecisionRules` (docs/normalize.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from enrichment.normalize.rulematch import compile_rule

__all__ = ["DecisionRules", "TitleInfo", "classify_title"]

MAX_INPUT = 300

SENIORITIES = (
    "owner", "founder", "c_suite", "partner", "vp", "head", "director", "manager", "senior",
    "entry", "intern", "unknown",
)  # fmt: skip
DEPARTMENTS = (
    "executive", "sales", "marketing", "finance", "it", "engineering", "operations",
    "procurement", "hr", "legal", "production", "customer_service", "other",
)  # fmt: skip

# Default decision-maker rule: these seniorities decide (deputies keep their base level).
DECIDING = frozenset({"owner", "founder", "c_suite", "partner", "vp", "head", "director"})


@dataclass(frozen=True, slots=True)
class TitleInfo:
    raw: str
    title: str
    seniority: str
    department: str
    is_decision_maker: bool
    reason: str


_RANK = {level: i for i, level in enumerate(SENIORITIES)}  # lower is more senior


@dataclass(frozen=True)
class DecisionRules:
    """A segment's own decision makers, added to the default rule (never removing any).

    - ``extra_titles``: titles that decide in this segment, in any of the three languages
      ("прораб", "Bauleiter", "Purchasing Manager"). Each is normalized like a title
      (case, ё, abbreviations such as "нач." or "Ltg.") and matches a title that contains it
      starting at a word boundary, so "прораб" also matches "Старший прораб" and
      "прораба" (Russian endings) but not "Непрораб".
    - ``departments``: departments (from ``DEPARTMENTS``) whose people decide in this segment
      from ``min_seniority`` up (default "manager": a "Менеджер по закупкам" decides for a
      segment that sells to procurement; a "Специалист по закупкам" still influences).

    ``DecisionRules(extra_titles=["прораб"], departments=["procurement"])``; unknown
    department names raise ``ValueError`` when the rules are built, not at match time.
    """

    extra_titles: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    min_seniority: str = "manager"
    _title_re: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        titles = tuple(t for t in (self.extra_titles or ()) if isinstance(t, str) and t.strip())
        departments = tuple(self.departments or ())
        unknown = [d for d in departments if d not in DEPARTMENTS]
        if unknown:
            raise ValueError(f"unknown department(s) {unknown}; known: {', '.join(DEPARTMENTS)}")
        if self.min_seniority not in _RANK or self.min_seniority == "unknown":
            raise ValueError(f"min_seniority must be one of {', '.join(SENIORITIES[:-1])}")
        object.__setattr__(self, "extra_titles", titles)
        object.__setattr__(self, "departments", departments)
        if titles:
            words = sorted({_normalize(t) for t in titles} - {""}, key=len, reverse=True)
            pattern = r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + ")"
            object.__setattr__(self, "_title_re", re.compile(pattern) if words else None)

    def __bool__(self) -> bool:
        return bool(self.extra_titles or self.departments)

    def match(self, normalized_title: str, info: TitleInfo) -> str | None:
        """Why the segment makes this title a decision maker, or None."""
        if self._title_re is not None:
            m = self._title_re.search(normalized_title)
            if m:
                return f"segment title '{m.group(0)}'"
        if (
            info.department in self.departments
            and info.seniority != "unknown"
            and _RANK[info.seniority] <= _RANK[self.min_seniority]
        ):
            return f"segment department {info.department} from {self.min_seniority}"
        return None


# Abbreviations expanded before matching: Russian staff lists, English and German cards.
_ABBREVIATIONS = (
    (r"\bген\.\s*", "генеральный "), (r"\bзам\.\s*", "заместитель "),
    (r"\bнач\.\s*", "начальник "), (r"\bрук\.\s*", "руководитель "),
    (r"\bгл\.\s*", "главный "), (r"\bком\.\s*", "коммерческий "),
    (r"\bтех\.\s*", "технический "), (r"\bфин\.\s*", "финансовый "),
    (r"\bисп\.\s*", "исполнительный "), (r"\bдир\.?(?=\s|$)", "директор"),
    (r"\bотд\.\s*", "отдела "), (r"\bsr\.?(?=\s)", "senior"), (r"\bmgr\.?\b", "manager"),
    (r"\bdir\.?(?=\s|$)", "director"), (r"\basst\.?(?=\s)", "assistant"),
    (r"\bgf\b", "geschäftsführer"), (r"\bstv\.?\s*", "stellvertretender "),
    (r"\bltg\.?\s*", "leitung "), (r"\bkfm\.?\s*", "kaufmännischer "),
    (r"\bгип\b", "главный инженер проекта"), (r"\bгап\b", "главный архитектор проекта"),
    (r"\bи\.\s?о\.\s*", "исполняющий обязанности "),
)  # fmt: skip
_ABBREV_RES = tuple((re.compile(p), r) for p, r in _ABBREVIATIONS)
_ABBREV_HINT_RE = re.compile(r"\.|\b(?:sr|mgr|dir|gf|stv|ltg|kfm|asst|гип|гап)\b")  # any to expand?

_DEPUTY_RE = re.compile(
    r"заместител|\bзам\b|\bdeputy\b|stellvertret|\bstellv\b|"
    r"\bvice\b(?![- ]?president)|\bvize\b(?!präsident)"
)
_PARTNER_EXCLUDE_RE = re.compile(
    r"business partner|partner ?(manager|account|relations|marketing|success|sales|"
    r"development|program|channel|management|betreuer)|channel partner|с партнер"
)

# (rule name, seniority, pattern): first match wins, so specific phrases come first.
# Words that are also common surnames (Baker, Cook, Fischer, Müller, Schneider, Mason, Taylor …)
# are kept out on purpose: the crawl asks "is this a title?" (seniority != "unknown") to tell
# a job line from a person's name.
_SENIORITY_RULES = (
    ("intern", "intern", r"\b(intern|internship|trainee|apprentice|praktikant\w*|werkstudent\w*|"
     r"azubi|auszubildende\w*|стажер\w*|практикант\w*|ученик)\b"),
    ("assistant", "entry", r"помощник|секретар|ассистент|assistent|assistenz|sekretär|"
     r"referent(in)?\b|executive assistant|personal assistant|administrative assistant|"
     r"office assistant|\bassistant to\b|'s assistant\b|\bassistant$"),
    ("owner role", "manager", r"\b(product|process|service|data|risk|control|system|"
     r"application|content) owner\b"),
    ("owner", "owner", r"\b(owner(?!ship)|co-owner|proprietor|inhaber\w*|mitinhaber\w*|владел\w*|"
     r"совладел\w*|собственник\w*|geschäftsführende[rn]? gesellschafter\w*|"
     r"индивидуальн\w* предпринимател\w*|^ип$|restaurat?eur|restauranteur|innkeeper|landlord)"),
    ("founder", "founder", r"\b(founder|co-founder|cofounder|gründer\w*|mitgründer\w*|"
     r"основател\w*|сооснователь\w*|соучредител\w*|учредител\w*)"),
    ("vice president", "vp", r"\b(svp|evp|avp|vp|vice[- ]president|вице-президент\w*|"
     r"vizepräsident\w*)\b"),
    ("c-level acronym", "c_suite", r"\b(ceo|cfo|cto|coo|cmo|cio|cdo|cro|cso|cco|clo|cpo|chro|"
     r"cxo|cao|caio|cno|ciso)\b"),
    ("chief officer", "c_suite", r"\bchief\b.*\bofficer\b|\bchief executive\b"),
    ("managing director", "c_suite", r"managing director|генеральн\w* директор|гендиректор|"
     r"генеральн\w* управляющ|управляющ\w* директор|geschäftsführ\w*|geschäftsleitung|"
     r"\bvorstand\w*|vorständ\w*|vorstandsvorsitz\w*|mitglied des vorstand|generaldirektor\w*"),
    ("president or chair", "c_suite", r"\b(president\b|präsident\w*|президент\w*|chairman|"
     r"chairwoman|chairperson|chair of the board|председател\w*|aufsichtsrat\w*|"
     r"член правления|член совета директоров|board member|member of the board|"
     r"board of directors|non-executive director|ректор\w*|rektor\w*|rector|chancellor|"
     r"publisher$)"),
    ("general manager", "director", r"\b(general manager|country manager|"
     r"generalbevollmächtigt\w*)\b"),
    ("prokurist", "director", r"\bprokurist\w*"),
    ("partner", "partner", r"^(partner|partnerin)\b|^(managing|senior|equity|founding|general|"
     r"salaried|junior|name|tax|audit|advisory|deal|consulting) (partner|partnerin)\b|"
     r"\bmanaging partner\b|^партнер|управляющ\w* партнер|teilhaber\w*|"
     r"(?<!geschäftsführender )gesellschafter\w*"),
    ("chief accountant", "head", r"главн\w* бухгалтер|главбух|chief accountant|"
     r"financial controller|corporate controller|comptroller|treasurer\b|"
     r"leiter\w* (rechnungswesen|buchhaltung)"),
    ("chief engineer", "head", r"главн\w* инженер|chief engineer|главн\w* архитектор"),
    ("site manager", "head", r"начальник\w* участка|(?<!web )site manager|bauleiter\w*|"
     r"superintendent|начальник\w* строительств"),
    ("plant or branch manager", "head", r"\b(plant|branch|factory|mill) manager\b|"
     r"\b(werkleiter\w*|betriebsleiter\w*|niederlassungsleiter\w*|filialleiter\w*)"),
    ("chief estimator", "head", r"\b(chief|head) estimator\b|главн\w* сметчик|"
     r"leiter\w* kalkulation"),
    ("office or shift lead", "manager", r"büroleiter\w*|начальник\w* смены|schichtleiter\w*"),
    ("team or project lead", "manager", r"руководител\w* (проект\w*|групп\w*|направлени\w*)|"
     r"\b(team ?lead\w*|teamleiter\w*|projektleiter\w*|gruppenleiter\w*|project manager|"
     r"projektmanager\w*)"),
    ("foreman", "manager", r"прораб\w*|производител\w* работ|\bмастер\w*|\bforeman\b|"
     r"\bpolier\b|vorarbeiter\w*|бригадир\w*|\bcrew (chief|leader)\b|"
     r"\b(meister|werkmeister|industriemeister|schichtmeister|baumeister)\b"),
    ("estimator", "entry", r"сметчик\w*|\bestimator\b|kalkulator\w*"),
    ("director", "director", r"\b(directors?\b|директор\w*|direktor\w*|directeur|директриса)"),
    ("chief specialist", "senior", r"главн\w* специалист"),
    ("head", "head", r"\bhead of\b|\b(department|division|section|unit|group|team) head\b|"
     r"^head( (sales|marketing|finance|it|hr|procurement|purchasing|operations|engineering|"
     r"legal|production|customer|business|product|growth|people|technology|tech|digital|"
     r"data|design|research|r&d|strategy|logistics|supply|compliance|communications|"
     r"accounting|development|partnerships|talent|security|quality|sourcing)\b|$)|"
     r"\b(руководител\w*|начальник\w*|заведующ\w*|leiter\w*|leiterin|"
     r"leitung|bereichsleiter\w*|abteilungsleiter\w*|управляющ\w*|главн\w*|chief)\b|"
     r"^dean$|\bdean of\b|\w dean$|\Bleiter(in)?\b|principal$"),
    ("manager", "manager", r"\b(manager\w*|managerin|менеджер\w*|supervisor|"
     r"координатор\w*|coordinator|koordinator\w*|leader\b|лидер\b)"),
    ("senior", "senior", r"^head \w|\b(senior|старш\w*|ведущ\w*|principal|lead|expert|experte|"
     r"expertin|эксперт\w*)\b"),
    ("individual contributor", "entry", r"специалист|specialist|spezialist|инженер|engineer|"
     r"ingenieur|architekt|mitarbeiter|sachbearbeiter|бухгалтер|accountant|buchhalter|экономист|юрист|"
     r"юрисконсульт|lawyer|attorney|counsel\b|justiziar|rechtsanwält\w*|rechtsanwalt|jurist|"
     r"аналитик|analyst|консультант|consultant|berater|developer|entwickler|"
     r"разработчик|программист|designer|дизайнер|оператор|operator|representative|\bagent\b|"
     r"агент|associate|techniker|technician|техник|monteur|кладовщик|водитель|driver|рабочий|"
     r"worker|кассир|продавец|verkäufer|администратор|administrator|логист|logistiker|"
     r"закупщик|снабженец|buyer|einkäufer|recruiter|рекрутер|маркетолог|marketer|механик|"
     r"слесарь|электрик|сварщик|архитектор|architect|конструктор|технолог|sales ?rep|\bclerk\b|"
     r"\bofficer\b|\binspector\b|\badvis[oe]r\b|\bcouncil ?member\b|\bcommissioner\b|"
     r"\b(sdr|bdr|account executive|sales executive|controller|disponent\w*|"
     r"wirtschaftsprüfer\w*|steuerberater\w*|dipl-ing|dipl ing|scrum master|сотрудник|"
     r"работник|angestellte\w*|fachkraft|facharbeiter|elektriker|mechatroniker|fahrer|lagerist|kauffrau|"
     r"kaufmann für|erzieher\w*|krankenpfleger\w*|pflegefachkraft)\b|"
     # Occupations that also name a service or a heading ("Hiring a Plumber In", "Учителя
     # и родители", "Editor's Picks"): only as the title's head noun, last in English, first
     # in Russian ("Registered Nurse", "Учитель математики").
     r"\b(nurse|electrician|mechanic|machinist|welder|plumber|teacher|instructor|lecturer|"
     r"tutor|therapist|pharmacist|physician|scientist|researcher|dispatcher|scheduler|planner|"
     r"auditor|examiner|investigator|installer|repairer|assembler|fabricator|attendant|aide|"
     r"helper|laborer|labourer|cashier|janitor|custodian|programmer|tester|editor|reporter)$|"
     r"^(учитель|преподаватель|врач|медсестра|фельдшер|диспетчер|монтажник|"
     r"электромонтажник|штукатур|маляр|плотник|каменщик|арматурщик|бетонщик|геодезист|"
     r"лаборант)\b"),
)  # fmt: skip

_DEPARTMENT_RULES = (
    ("procurement", r"procurement|purchas|\bbuyer|закуп|снабж|\b(о?мтс|о?мто)\b|einkauf|"
     r"einkäufer|beschaffung|тендер|tender|sourcing"),
    ("customer_service", r"customer (service|support|success|care|experience)|\bsupport\b|"
     r"поддержк|клиентск\w* (сервис|служб)|call[- ]?cent|колл?-центр|kundenservice|"
     r"kundendienst|service desk|helpdesk|сервисн"),
    ("sales", r"sales|продаж|коммерческ|коммерци|commercial|vertrieb|verkauf|"
     r"account (manager|executive)|key account|business development|bizdev|\b(bdm?|sdr|bdr)\b|"
     r"клиент|kundenberater|\bcso\b|\bcro\b|"
     r"revenue|сбыт|торгов|au(ss|ß)endienst|innendienst|дилер"),
    ("marketing", r"marketing|маркетинг|маркетолог|\bcmo\b|brand|бренд|\bpr\b|public relations|"
     r"\bsmm\b|\bseo\b|реклам|werbung|kommunikation|communications|content|контент|коммуникац"),
    ("finance", r"\bcfo\b|финанс|бухгалт|главбух|accountant|accounting|buchhalt|finan(ce|cial|z)|"
     r"controll|treasur|казначе|экономист|экономическ|steuer|\btax\b|audit|аудит|billing|"
     r"payroll|kaufmännisch|wirtschaftsprüf"),
    ("hr", r"\b(hr|chro|hrd|hrbp)\b|human resources|кадр|персонал(у|а|ом)?\b|"
     r"\bpersonal(?! assistant)|recruit|рекрут|talent|\bpeople\b|подбор"),
    ("legal", r"\b(legal|clo|counsel|attorney|lawyer)\b|юрист|юридическ|правов|rechtsanw|"
     r"justiziar|jurist|юрисконсульт|compliance"),
    ("it", r"\b(it|ит|cio|cto|cdo|edv|ciso)\b|information security|cyber|информацион|"
     r"information technology|chief technology|software|developer|"
     r"разработчик|программист|devops|sysadmin|системн\w* администратор|informatik|\bdata\b|"
     r"цифров|digital|\bweb|\bвеб|\btech\b|scrum"),
    ("engineering", r"engineer|инженер|конструктор|проектиров|ingenieur|technik|technical|"
     r"техническ|technisch|механик|энергетик|технолог|r&d|research|entwicklung|сметчик|estimat|kalkul|"
     r"архитектор|architect|architekt|\bпто\b"),
    ("production", r"production|производств|прораб|участк|мастер|цех|produktion|fertigung|"
     r"\bwerk(?!student)|plant|manufactur|строител|construction|\bbau|polier|foreman|site manager|"
     r"vorarbeiter|монтаж|montage|бригадир|производител\w* работ|\bmeister\b|"
     r"werkmeister"),
    ("operations", r"operations|\bcoo\b|операцион|logisti|логист|supply chain|склад|warehouse|"
     r"\blager|betrieb|administrat|администрат|office manager|büroleit|офис-менеджер|"
     r"хозяйств|facility|эксплуатац|transport|транспорт|\bops\b"),
    ("executive", r"\b(ceo|president|президент|генеральн|гендиректор|geschäftsführ|"
     r"geschäftsleitung|vorstand|inhaber|(?<!product )(?<!process )(?<!service )owner|founder|"
     r"general manager|country manager|branch manager|filialleiter|niederlassungsleiter|"
     r"владел|собственник|учредител|"
     r"основател|chairman|председател|chief executive|managing director|partner|партнер|"
     r"gesellschafter|"
     r"prokurist|правлени|исполнительн\w* директор|executive director)"),
)  # fmt: skip

_SENIORITY_RES = tuple((name, level, compile_rule(p)) for name, level, p in _SENIORITY_RULES)
_DEPARTMENT_RES = tuple((dept, compile_rule(p)) for dept, p in _DEPARTMENT_RULES)
_WS_RE = re.compile(r"\s+")
_PUNCT_RE = re.compile(r"[,;:/|()\[\]{}\"«»„“”!?*+]+")
_PAREN_RE = re.compile(r"\([^)]*\)?")
_EXECUTIVE_LEVELS = frozenset({"owner", "founder", "c_suite", "partner"})
# "Директор", "Заместитель директора", "Директор предприятия": in Russian firms the director
# without a function is the head of the company.
_BARE_DIRECTOR_RE = re.compile(
    r"^(?:(?:заместитель|deputy|stellvertretender)\s+)?(?:директор\w*|director|direktor\w*)"
    r"(?:\s+(?:компании|предприятия|организации|филиала|общества))?$"
)


def _normalize(text: str) -> str:
    t = _WS_RE.sub(" ", _PUNCT_RE.sub(" ", text.casefold().replace("ё", "е"))).strip()
    t = t.replace("&", " & ").replace(" - ", " ")
    if _ABBREV_HINT_RE.search(t):
        for pattern, repl in _ABBREV_RES:
            t = pattern.sub(repl, t)
    return _WS_RE.sub(" ", t).strip()


def classify_title(text: str | None, rules: DecisionRules | None = None) -> TitleInfo:
    """Seniority, department and decision-maker flag of a job title; never raises.

    ``rules`` adds a segment's own decision makers to the default rule (see
    :class:`DecisionRules`); without it the default rule alone decides.
    """
    if not isinstance(text, str):
        return TitleInfo("", "", "unknown", "other", False, "empty")
    if rules is None or not rules:
        return _classify(text[:MAX_INPUT])
    return _classify_with(text[:MAX_INPUT], rules)


@lru_cache(maxsize=65_536)
def _classify(raw: str) -> TitleInfo:
    title = _WS_RE.sub(" ", raw).strip()
    if not title:
        return TitleInfo(raw, "", "unknown", "other", False, "empty")
    t = _normalize(title)
    # "Continuous Miner Operator (CMO)", "Director (Sales)": the level is read outside brackets
    # (when anything is left there), the department from the whole title.
    level_text = t
    if "(" in title:
        level_text = _normalize(_PAREN_RE.sub(" ", title)) or t
    seniority, rule = "unknown", "no rule matched"
    for name, level, pattern in _SENIORITY_RES:
        if pattern.search(level_text):
            if level == "partner" and _PARTNER_EXCLUDE_RE.search(level_text):
                continue
            seniority, rule = level, name
            break
    if _DEPUTY_RE.search(t) and seniority not in ("unknown", "entry", "intern", "vp"):
        if seniority == "c_suite":
            seniority = "vp"
        rule = f"deputy of {rule}"
    department, dept_rule = "other", "no department keyword"
    for dept, pattern in _DEPARTMENT_RES:
        m = pattern.search(level_text) or (level_text is not t and pattern.search(t))
        if m and dept == "executive" and "partner" in m.group(0) and _PARTNER_EXCLUDE_RE.search(t):
            continue  # "Partner Manager" works with partners, it is not one
        if m:
            department, dept_rule = dept, f"'{m.group(0).strip()}'"
            break
    if department == "other" and (seniority in _EXECUTIVE_LEVELS or _BARE_DIRECTOR_RE.match(t)):
        department, dept_rule = "executive", f"{seniority} without a function"
    deciding = seniority in DECIDING
    reason = (
        f"seniority {seniority} ({rule}); department {department} ({dept_rule}); "
        f"{'decides' if deciding else 'does not decide'} ({seniority})"
    )
    return TitleInfo(raw, title, seniority, department, deciding, reason)


@lru_cache(maxsize=16_384)
def _classify_with(raw: str, rules: DecisionRules) -> TitleInfo:
    info = _classify(raw)
    if info.is_decision_maker or not info.title:
        return info
    why = rules.match(_normalize(info.title), info)
    if why is None:
        return info
    head, _, _ = info.reason.rpartition("; ")
    return replace(info, is_decision_maker=True, reason=f"{head}; decides ({why})")
