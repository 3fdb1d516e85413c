from spiders.pages.content import main_content

PAGE = """<html><body>
<header><a href="tel:+74951112233">+7 495 111-22-33</a> info@katalog.ru</header>
<nav><a href="/">Главная</a></nav>
<div class="site-footer-wrap">Подвал каталога</div>
<main><h1>ООО «Ромашка»</h1><p>Телефон: +7 843 200-10-20</p></main>
<div id="footer">© Каталог, +7 495 111-22-33</div>
<footer>support@katalog.ru</footer>
</body></html>"""


def test_site_chrome_is_removed_and_content_kept():
    text = main_content(PAGE)
    assert "Ромашка" in text and "200-10-20" in text
    for gone in ("111-22-33", "katalog.ru", "Главная", "Подвал"):
        assert gone not in text


def test_a_page_that_is_all_chrome_is_kept_whole():
    page = "<html><body><header>Only a header +7 495 111-22-33</header></body></html>"
    assert main_content(page) == page


def test_odd_input_does_not_raise():
    assert main_content("") == ""
    assert "x" in main_content("x")
