"""HTML of the benchmark's site world, written as static files (``write_world``).

Pages are shaped after the test fixture sites (tests/fixtures/sites: biz-katalog.ru cards and
detail pages, stroymontazh-kzn.ru "Title — Name" management page and реквизиты table,
brandt-vogel.de team table and Impressum) and carry the boilerplate real pages have: a header
with a mega menu of product links, an inline stylesheet, an analytics snippet, a JSON state blob
of varying length and a footer with legal links.  Typical size: 8-30 KB.

Layout on disk: ``ROOT/<host>/<path>/index.html``; list page N of the directory is
``ROOT/<directory>/catalog/page-N.html`` (the server maps ``?page=N`` to it).
"""

from __future__ import annotations

import json
import random
from html import escape
from pathlib import Path

from bench.crawlsite.world import Company, World

_CSS = "\n".join(
    f".c{i}{{margin:{i % 7}px {i % 5}px;padding:{i % 3}px;color:#{(i * 2654435761) % 0xFFFFFF:06x};"
    f"font:{12 + i % 6}px/1.4 Arial,sans-serif}}"
    for i in range(40)
)
_ANALYTICS = """(function(m,e,t,r,i,k,a){m[i]=m[i]||function(){(m[i].a=m[i].a||[]).push(arguments)};
m[i].l=1*new Date();for(var j=0;j<document.scripts.length;j++){if(document.scripts[j].src===r)
{return;}}k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,
a.parentNode.insertBefore(k,a)})(window,document,"script","/static/tag.js","ym");
ym(93817264,"init",{clickmap:true,trackLinks:true,accurateTrackBounce:true,webvisor:false});
window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}
gtag('js',new Date());gtag('config','G-7Q2K9XH3LM',{anonymize_ip:true});"""
_TEXT = {
    "ru": (
        "Мы работаем на рынке более пятнадцати лет и выполнили сотни проектов для "
        "промышленных и торговых компаний.",
        "Собственное производство и склад позволяют "
        "выдерживать сроки поставки даже для крупных заказов.",
        "Инженеры компании сопровождают объект от проекта до сдачи и гарантийного обслуживания.",
        "Работаем по договору, с НДС, принимаем оплату безналичным расчётом.",
        "Доставка собственным транспортом по региону и транспортными компаниями по России.",
    ),
    "de": (
        "Seit über zwanzig Jahren entwickeln und fertigen wir Lösungen für Industrie und "
        "Mittelstand.",
        "Unsere Fertigung am Standort garantiert kurze Lieferzeiten und gleichbleibende Qualität.",
        "Vom ersten Entwurf bis zur Inbetriebnahme begleiten unsere Ingenieure jedes Projekt.",
        "Wir sind nach ISO 9001 zertifiziert und liefern in über 30 Länder.",
        "Fragen Sie uns nach individuellen Lösungen für Ihre Anlage.",
    ),
    "en": (
        "For over two decades we have designed and built solutions for manufacturers across "
        "North America.",
        "Our in-house production keeps lead times short and quality consistent.",
        "Our engineers support every project from first drawing to commissioning.",
        "We are ISO 9001 certified and ship to more than 30 countries.",
        "Ask us about custom solutions for your plant.",
    ),
}
_MENU = {
    "ru": (
        "Продукция",
        "Услуги",
        "Проекты",
        "Новости",
        "Доставка",
        "Оплата",
        "Политика конфиденциальности",
        "/politika-konfidencialnosti/",
    ),
    "de": (
        "Produkte",
        "Leistungen",
        "Referenzen",
        "Aktuelles",
        "Versand",
        "Zahlung",
        "Datenschutz",
        "/datenschutz/",
    ),
    "en": (
        "Products",
        "Services",
        "Projects",
        "News",
        "Shipping",
        "Payment",
        "Privacy policy",
        "/privacy/",
    ),
}
_SLUGS = (
    "valves",
    "pumps",
    "steel",
    "frames",
    "sensors",
    "drives",
    "cables",
    "panels",
    "tanks",
    "pipes",
    "motors",
    "filters",
    "gears",
    "hoses",
    "fittings",
    "brackets",
)


def _state_blob(rng: random.Random, size: int) -> str:
    """``window.__STATE__`` of an app shell: products with ids and prices, about ``size`` bytes."""
    items, n = [], 0
    while n < size:
        item = {
            "id": rng.randint(10**5, 10**6),
            "sku": f"{rng.choice(_SLUGS)}-{rng.randint(1, 999)}",
            "price": round(rng.uniform(10, 99999), 2),
            "stock": rng.randint(0, 500),
            "tags": rng.sample(_SLUGS, 3),
        }
        items.append(item)
        n += 120
    return json.dumps({"catalog": items, "build": "2026.09.1"}, separators=(",", ":"))


def _page(
    lang: str,
    title: str,
    site: str,
    nav: str,
    main: str,
    footer: str,
    rng: random.Random,
    head: str = "",
    main_attrs: str = "",
) -> str:
    menu = _MENU[lang]
    mega = "".join(
        f'<li><a href="/catalog/{s}-{i}/">{escape(menu[0])} {s} {i}</a></li>'
        for i, s in enumerate(rng.sample(_SLUGS, 12))
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="stylesheet" href="/static/main.{rng.randint(10**6, 10**7)}.css">
<style>{_CSS}</style>
{head}
<script>{_ANALYTICS}</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/"><img src="/images/logo.png" alt="{escape(site)}"></a>
  <nav class="main-nav">{nav}</nav>
  <ul class="mega-menu">{mega}</ul>
</header>
<main{main_attrs}>
{main}
</main>
<footer class="site-footer">
{footer}
<p><a href="{menu[7]}">{escape(menu[6])}</a> · <a href="/sitemap.xml">Sitemap</a></p>
</footer>
<script>window.__STATE__={_state_blob(rng, rng.randint(2_000, 12_000))};</script>
<script src="/static/app.{rng.randint(10**6, 10**7)}.js" defer></script>
</body>
</html>
"""


def _site_nav(c: Company) -> str:
    menu = _MENU[c.lang]
    links = [f'<a href="{path}">{escape(text)}</a>' for path, _, text in c.pages]
    links[1:1] = [
        f'<a href="/{s}/">{escape(t)}</a>'
        for s, t in (
            ("produkty", menu[0]),
            ("uslugi", menu[1]),
            ("proekty", menu[2]),
            ("novosti", menu[3]),
        )
    ]
    return " ".join(links)


def _footer(c: Company) -> str:
    legal = c.pages[-1]
    return (
        f"<p>© 2012–2026 {escape(c.name)}. {escape(c.address)}. "
        f'<a href="tel:{c.phone.replace(" ", "")}">{escape(c.phone)}</a></p>'
        f'<p><a href="{c.pages[1][0]}">{escape(c.pages[1][2])}</a> · '
        f'<a href="{legal[0]}">{escape(legal[2])}</a></p>'
    )


def _paragraphs(c: Company, rng: random.Random, count: int) -> str:
    return "\n".join(
        f"<p>{escape(' '.join(rng.sample(_TEXT[c.lang], 3)))}</p>" for _ in range(count)
    )


def _home(c: Company, rng: random.Random) -> tuple[str, str]:
    head = ""
    if c.index % 2 == 0:  # half the sites publish schema.org Organization data
        org = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": c.name,
            "url": c.website,
            "telephone": c.phone,
            "email": c.emails[0],
            "address": {"@type": "PostalAddress", "streetAddress": c.address},
        }
        head = f'<script type="application/ld+json">{json.dumps(org, ensure_ascii=False)}</script>'
    news = "".join(
        f'<article><time datetime="2026-0{i + 1}-15">15.0{i + 1}.2026</time> '
        f"{escape(rng.choice(_TEXT[c.lang]))}</article>"
        for i in range(rng.randint(3, 8))
    )
    main = (
        f'<section class="hero"><h1>{escape(c.brand)}</h1>{_paragraphs(c, rng, 2)}</section>'
        f'<section class="news">{news}</section>'
    )
    return head, main


def _contact(c: Company, rng: random.Random) -> str:
    info = c.emails[0]
    if c.lang == "ru" and rng.random() < 0.5:
        info = info.replace("@", " [at] ").replace(".ru", " [dot] ru")
    label = {
        "ru": ("Адрес", "Телефон", "Отдел продаж", "E-mail"),
        "de": ("Adresse", "Telefon", "Vertrieb", "E-Mail"),
        "en": ("Address", "Phone", "Sales", "Email"),
    }[c.lang]
    return (
        f'<h1>{escape(c.pages[1][2])}</h1><dl class="contacts">'
        f"<dt>{label[0]}</dt><dd>{escape(c.address)}</dd>"
        f'<dt>{label[1]}</dt><dd><a href="tel:{c.phone.replace(" ", "")}">'
        f"{escape(c.phone)}</a></dd>"
        f"<dt>{label[2]}</dt><dd>{escape(c.sales_phone)}</dd>"
        f"<dt>{label[3]}</dt><dd>{escape(info)}, "
        f'<a href="mailto:{c.emails[1]}">{c.emails[1]}</a></dd>'
        f'</dl><form action="/feedback/" method="post"><input name="name">'
        f'<input type="email" name="email" placeholder="you@example.com"><textarea name="m">'
        f"</textarea><button>OK</button></form>{_paragraphs(c, rng, 1)}"
    )


def _team(c: Company) -> str:
    if c.lang == "ru":
        rows = "".join(
            f'<p><img src="/images/team/{i}.jpg" alt="" width="120">\n{escape(p.title)} — '
            f"{escape(p.name)}<br>\n"
            + (
                f'E-mail: <a href="mailto:{p.email}">{p.email}</a>'
                if p.email
                else "Стаж работы в отрасли — 15 лет."
            )
            + "</p>\n"
            for i, p in enumerate(c.people)
        )
        return f'<h1>Руководство</h1><div class="managers">{rows}</div>'
    if c.lang == "de":
        rows = "".join(
            f"<tr><td>{escape(p.name)}</td><td>{escape(p.title)}</td><td>"
            + (f'<a href="mailto:{p.email}">{p.email}</a>' if p.email else "–")
            + "</td></tr>"
            for p in c.people
        )
        return (
            f'<h1>Unser Team</h1><table class="team"><tr><th>Name</th><th>Funktion</th>'
            f"<th>Kontakt</th></tr>{rows}</table>"
        )
    cards = "".join(
        f'<div class="card"><img src="/img/{i}.jpg" alt=""><h3>{escape(p.name)}</h3>'
        f'<p class="role">{escape(p.title)}</p>'
        + (f'<a href="mailto:{p.email}">{p.email}</a>' if p.email else "")
        + "</div>"
        for i, p in enumerate(c.people)
    )
    return f'<h1>Our team</h1><div class="team-grid">{cards}</div>'


def _legal(c: Company) -> str:
    boss = c.people[0].name
    if c.lang == "ru":
        rows = (
            ("Полное наименование", f"Общество с ограниченной ответственностью «{c.brand}»"),
            ("Сокращённое наименование", c.name),
            ("ИНН", c.ids["inn"]),
            ("КПП", c.ids["kpp"]),
            ("ОГРН", c.ids["ogrn"]),
            ("Юридический адрес", c.address),
            ("Расчётный счёт", "40702810900000012345"),
            ("БИК", "044525225"),
            ("Генеральный директор", f"{boss}, действует на основании Устава"),
        )
        table = "".join(f"<tr><td>{escape(k)}</td><td>{escape(v)}</td></tr>" for k, v in rows)
        return f'<h1>Реквизиты</h1><table class="requisites">{table}</table>'
    if c.lang == "de":
        street, city = c.address.split(", ", 1)
        return (
            f"<h1>Impressum</h1><p>Angaben gemäß § 5 DDG</p><p>{escape(c.name)}<br>"
            f"{escape(street)}<br>{escape(city)}</p><p>Geschäftsführer: {escape(boss)}</p>"
            f"<p>Registergericht: {escape(c.ids['court'])}<br>Registernummer: "
            f"{c.ids['hrb']}</p><p>Umsatzsteuer-Identifikationsnummer gemäß § 27 a "
            f"Umsatzsteuergesetz: {c.ids['vat']}</p>"
        )
    return (
        f"<h1>Legal notice</h1><p>{escape(c.name)}<br>{escape(c.address)}</p>"
        f"<p>CEO: {escape(boss)}</p><p>EIN: {c.ids['ein']}</p>"
    )


def site_pages(c: Company) -> dict[str, str]:
    """Path -> HTML of one company's website."""
    rng = random.Random(f"{c.domain}:site")
    nav, footer = _site_nav(c), _footer(c)
    out = {}
    for path, kind, text in c.pages:
        head = ""
        if kind == "home":
            head, main = _home(c, rng)
        elif kind == "contact":
            main = _contact(c, rng)
        elif kind == "about":
            main = f"<h1>{escape(text)}</h1>{_paragraphs(c, rng, rng.randint(4, 8))}"
        elif kind == "team":
            main = _team(c)
        else:
            main = _legal(c)
        out[path] = _page(c.lang, f"{text} — {c.brand}", c.brand, nav, main, footer, rng, head)
    return out


def sitemap(c: Company) -> str:
    urls = "".join(f"<url><loc>http://{c.domain}{path}</loc></url>" for path, _, _ in c.pages)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
        f'schemas/sitemap/0.9">{urls}</urlset>\n'
    )


ROBOTS = "User-agent: *\nDisallow: /bitrix/\nDisallow: /search/\n"

_DIR_NAV = '<a href="/catalog/">Каталог компаний</a> <a href="/about/">О проекте</a>'
_DIR_FOOTER = (
    "<p>© 2014–2026 Справочник фирм. Реклама: "
    '<a href="mailto:reklama@spravochnik-firm.ru">reklama@spravochnik-firm.ru</a>, '
    '<a href="tel:+78007001234">8 (800) 700-12-34</a>.</p>'
)


def list_page(world: World, page: int) -> str:
    rng = random.Random(f"{world.seed}:list:{page}")
    first = (page - 1) * world.per_page
    cards = []
    for c in world.companies[first : first + world.per_page]:
        cards.append(
            f'<div class="firm-card" data-id="{c.index}"><img class="firm-logo" '
            f'src="/static/firms/{c.index}.png" alt=""><h3>{escape(c.name)}</h3>'
            f'<div class="firm-meta"><span class="city">{escape(c.city)}</span> · '
            f'<span class="rubric">{escape(c.industry)}</span></div><p class="firm-desc">'
            f"{escape(rng.choice(_TEXT[c.lang]))}</p>"
            f'<a class="more" href="{world.detail_path(c)}">Подробнее</a></div>'
        )
    last = world.list_pages
    numbers = " ".join(
        f'<a href="/catalog/?page={n}">{n}</a>'
        if n != page
        else f'<span class="current">{n}</span>'
        for n in range(max(1, page - 3), min(last, page + 3) + 1)
    )
    nxt = f'<a class="next" href="/catalog/?page={page + 1}">Следующая →</a>' if page < last else ""
    main = (
        f'<h1>Каталог компаний — страница {page}</h1><div class="firm-list">'
        f'{"".join(cards)}</div><nav class="pager">{numbers} {nxt}</nav>'
    )
    return _page(
        "ru",
        f"Каталог компаний — страница {page}",
        "Справочник фирм",
        _DIR_NAV,
        main,
        _DIR_FOOTER,
        rng,
    )


def detail_page(world: World, c: Company) -> str:
    rng = random.Random(f"{world.seed}:detail:{c.index}")
    inn = (
        f'<li><span class="label">ИНН:</span> <span class="inn">{c.ids["inn"]}</span></li>'
        if "inn" in c.ids
        else ""
    )
    similar = "".join(
        f'<li><a href="{world.detail_path(o)}">{escape(o.name)}</a></li>'
        for o in rng.sample(world.companies, min(5, len(world.companies)))
    )
    main = (
        f"<h1>{escape(c.name)}</h1>"
        f'<p class="rubric">{escape(c.industry)}</p><ul class="props">'
        f'<li><span class="label">Город:</span> <span class="city">{escape(c.city)}</span></li>'
        f'<li><span class="label">Адрес:</span> {escape(c.address)}</li>'
        f'<li><span class="label">Телефон:</span> <a class="phone" '
        f'href="tel:{"".join(ch for ch in c.phone if ch.isdigit() or ch == "+")}">'
        f"{escape(c.phone)}</a></li>"
        f'<li><span class="label">Сайт:</span> <a class="site" href="{c.website}" '
        f'rel="nofollow noopener" target="_blank">{c.domain}</a></li>{inn}</ul>'
        f'<section class="about"><h2>О компании</h2>{_paragraphs(c, rng, 2)}</section>'
        f'<h2>Похожие компании</h2><ul class="similar">{similar}</ul>'
    )
    return _page(
        "ru",
        f"{c.name}, {c.city} — контакты — Справочник фирм",
        "Справочник фирм",
        _DIR_NAV,
        main,
        _DIR_FOOTER,
        rng,
        main_attrs=f' class="firm" data-id="{c.index}"',
    )


def _write(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)


def write_world(world: World, root: Path) -> dict[str, int]:
    """Write every page of ``world`` under ``root``; returns counts and byte totals."""
    stats = {"html_pages": 0, "html_bytes": 0, "other_files": 0}
    d = root / world.directory

    def html(path: Path, text: str) -> None:
        stats["html_pages"] += 1
        stats["html_bytes"] += _write(path, text)

    _write(d / "robots.txt", "User-agent: *\nDisallow: /private/\nDisallow: /search\n")
    for page in range(1, world.list_pages + 1):
        html(
            d / "catalog" / ("index.html" if page == 1 else f"page-{page}.html"),
            list_page(world, page),
        )
    for c in world.companies:
        html(d / world.detail_path(c).strip("/") / "index.html", detail_page(world, c))
        host = root / c.domain
        for path, text in site_pages(c).items():
            html(host / path.strip("/") / "index.html", text)
        _write(host / "robots.txt", ROBOTS)
        _write(host / "sitemap.xml", sitemap(c))
        stats["other_files"] += 2
    stats["other_files"] += 1
    return stats
