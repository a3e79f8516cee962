"""Issue 19, "Done when": a person whose browser speaks Spanish walks the app at phone
size, from the home page to sign-up, the support network, the four steps of the plan,
a check-in and an invitation; the person invited (whose own browser speaks English,
but who was invited in Spanish) opens the emailed link and reads it in Spanish.

On every page: axe, a screenshot (test-output/screenshots/es-*.png), `<html lang="es">`,
and no English word left, neither in the text (hidden text too: a closed <details>, a
message a script shows later) nor in what a screen reader or a pointer shows (labels,
placeholders, titles, alternative texts, button values) nor in the page title."""

import functools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.utils.translation import gettext, ngettext, override
from django.utils.translation.trans_real import translation
from playwright.sync_api import expect

from networks.models import SupportSource
from plans.models import CheckIn, Plan
from recovery_support.crisis_lines import COUNTRIES
from recovery_support.models import User
from sharing.models import Invitation
from tests.conftest import audit, screenshot
from tests.i18n.test_voice import USTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
PASSWORD = "mananas-tranquilas-2026"

# Words that are English and never Spanish. Not in the list, as they are Spanish too:
# "plan", "red" (network), "no", "me", "he", "a", "come", "son", "once", "has", "sea".
_HAND_MADE = """
    the your you and with this that please today save saved add step network check
    sign account password next back yes none people support help who what when will
    here have from about invite invitation share sharing email meeting meetings
    warning trigger goal goals mood craving cravings agreed week weekly daily every
    how is are of to for in on my our they them their it's don't can't i'm
    remove edit delete cancel continue done open close send skip change menu home
    dashboard welcome hello hi thanks thank good bad low high optional category name
    phone notes boundaries group family friend other private more less show hide
"""
ENGLISH_WORDS = frozenset(_HAND_MADE.split())
# Spanish words (or ones Spanish pages use as they are) among the catalogue's English.
SPANISH_TOO = frozenset(["via", "per", "int", "ins"])
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>")


@functools.cache
def english_words() -> frozenset[str]:
    """The hand-made list, and every word of our English messages (and allauth's and
    Django's) that no Spanish translation of ours, theirs or Django's uses."""
    catalogue = translation("es")._catalog
    english, spanish = set(), set()
    for msgid, msgstr in catalogue.items():
        msgid = msgid[0] if isinstance(msgid, tuple) else msgid  # (msgid, n): a plural
        english |= {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", msgid))}
        spanish |= {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", msgstr))}
    from_catalogue = {w for w in english - spanish if len(w) >= 3} - SPANISH_TOO
    return ENGLISH_WORDS | from_catalogue


# What is no one's English: our name, the crisis lines' own names and the words they
# ask to be texted ("Crisis Text Line", "HOME": recovery_support/crisis_lines.py keeps
# a line's name as the line spells it), addresses, and what the people typed (their own
# names and words, kept as they wrote them).
PRODUCT = "Recovery Support"
CRISIS_LINES = tuple(
    str(words)
    for country in COUNTRIES.values()
    for line in country.lines
    for words in (line.name, line.text_body)
    if words
)
ADDRESS = re.compile(r"\S+@\S+|https?://\S+")

# Every text of the page a person can meet: text nodes (hidden ones too, bar scripts
# and styles), the attributes read aloud or shown on hover, the values of buttons, the
# options of lists, and the page title.
READABLE_JS = """() => {
  const out = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // The time zones are IANA's names ("America/Mexico City"), the same in every
    // language: the one list left as it is.
    const parent = node.parentElement;
    if (parent.closest('script, style, template, select[name=time_zone]')) continue;
    // Words marked as another language on purpose: the footer's "English".
    if (!parent.closest('[lang]').lang.startsWith('es')) continue;
    out.push(node.data);
  }
  const attributes = ['placeholder', 'aria-label', 'title', 'alt', 'aria-description',
                      'aria-roledescription', 'aria-valuetext'];
  for (const element of document.body.querySelectorAll('*')) {
    for (const name of attributes) {
      if (element.hasAttribute(name)) out.push(element.getAttribute(name));
    }
    if (element.matches('input[type=submit], input[type=button], input[type=reset]')) {
      out.push(element.value);
    }
    for (const name of element.getAttributeNames()) {
      // Texts a script shows later (data-saving="Guardando…", data-saved=...).
      if (name.startsWith('data-') && /[a-z] [a-z]/i.test(element.getAttribute(name))
          && !/[{}<]/.test(element.getAttribute(name))) {
        out.push(element.getAttribute(name));
      }
    }
  }
  return out.join('\\n');
}"""


def english_in(text: str, *, typed: tuple[str, ...] = ()) -> list[str]:
    """The English words left in `text`, once the product's name, addresses and what
    the people typed are taken out."""
    text = ADDRESS.sub(" ", text)
    for words in sorted((PRODUCT, *CRISIS_LINES, *typed), key=len, reverse=True):
        text = text.replace(words, " ")
    return sorted({w.lower() for w in WORD.findall(text)} & english_words())


def test_the_word_check_finds_english_and_lets_spanish_through():
    """The check cannot pass by accident: an English sentence is caught, word by word,
    whatever its case; Spanish, the product's name, addresses and typed text are not."""
    assert english_in("Please save your plan and check in today.") == [
        "and",
        "check",
        "in",
        "please",
        "save",
        "today",
        "your",
    ]
    assert english_in("NEXT") == ["next"]
    assert english_in("Step 2 of 4") == ["of", "step"]
    assert english_in("Guardar e ir al paso 2. Tu plan de apoyo, tu red, no.") == []
    assert english_in("Te damos la bienvenida a Recovery Support") == []
    assert english_in("Crisis Text Line · enviar HOME al 741741") == []
    assert english_in("Escríbenos a help@example.org o https://example.org/help/") == []
    assert english_in("Grupo Tuesday Night", typed=("Tuesday Night",)) == []
    assert english_in("Tuesday Night help", typed=("Tuesday Night",)) == ["help"]
    # Whole words only: Spanish words that hold an English one are Spanish.
    assert english_in("Anoche, asistí, cantos, ayuda, hoyo, tuyo, elección") == []
    # Beyond the hand-made list, the catalogue's English words that Spanish never uses.
    assert english_in("Boundaries (optional)") == ["boundaries", "optional"]
    assert english_in("Relapse prevention") == ["prevention", "relapse"]
    assert "recuperación" not in english_words() and "plan" not in english_words()


def test_allauth_and_django_sentences_read_in_our_voice():
    """recovery_support/voice.py marks sentences of allauth's and Django's pages that our
    catalogue says with "tú": each is still one of theirs (an upgrade that rewords one
    would leave ours unused), and ours is the one read."""
    import allauth
    import polib
    from django import conf
    from django.contrib import auth

    from recovery_support import voice

    def catalogue(folder: Path) -> polib.POFile:
        return polib.pofile(str(folder / "locale" / "es" / "LC_MESSAGES" / "django.po"))

    ours = [
        entry
        for entry in catalogue(Path(settings.BASE_DIR))
        if any(path == "recovery_support/voice.py" for path, _line in entry.occurrences)
    ]
    assert len(ours) == len(voice.OURS)
    theirs = {
        entry.msgid
        for package in (allauth, auth, conf)
        for entry in catalogue(Path(package.__file__).parent)
    }
    with override("es"):
        for entry in ours:
            assert entry.msgid in theirs
            if entry.msgid_plural:
                read = ngettext(entry.msgid, entry.msgid_plural, 10)
                assert read == entry.msgstr_plural[1]
            else:
                assert gettext(entry.msgid) == entry.msgstr
            assert not USTED.search(gettext(entry.msgid))


class Walk:
    """One person's browser, checked page after page; what is wrong on each page is
    gathered and told at the end, so one run shows every page's English."""

    def __init__(self, typed: tuple[str, ...] = ()):
        self.typed = typed
        self.problems: list[str] = []

    def check(self, page, name: str) -> None:
        page.wait_for_load_state("load")
        lang = page.locator("html").get_attribute("lang") or ""
        if not lang.startswith("es"):
            self.problems.append(f"{name} ({page.url}): <html lang={lang!r}>")
        english = english_in(page.evaluate(READABLE_JS), typed=self.typed)
        if english:
            lines = [
                line.strip()
                for line in page.evaluate(READABLE_JS).splitlines()
                if english_in(line, typed=self.typed)
            ]
            self.problems.append(f"{name} ({page.url}): {english}\n    " + "\n    ".join(lines))
            print(self.problems[-1])
        audit(page)
        screenshot(page, f"es-{name}")

    def done(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def spanish_phone(browser, live_server, locale: str = "es-US"):
    context = browser.new_context(
        base_url=live_server.url,
        locale=locale,
        viewport=PHONE,
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console_errors = []
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    return page


@pytest.fixture(autouse=True)
def celery_eager():
    from recovery_support.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


TYPED = (
    "Lucía",
    "María López",
    "Grupo de los martes",
    "Salón de San Marcos",
    "Los martes, 7 de la tarde",
    "hermana",
    "Ana",
    "Cuando llega el día de pago",
    "Llamar a María",
    "Un día tranquilo.",
    "Llamadas por la tarde",
)


def test_a_spanish_speaker_walks_the_app_at_phone_size(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    walk = Walk(typed=TYPED)
    page = spanish_phone(browser, live_server)

    # 1. The home page reads in Spanish before anyone signs up.
    page.goto("/")
    page.get_by_role("heading", name="La recuperación es más fácil", exact=False).wait_for()
    walk.check(page, "home")
    page.get_by_role("link", name="Crea tu cuenta gratis").click()
    page.locator("input[name=email]").wait_for()
    walk.check(page, "signup")
    page.locator("input[name=email]").fill("lucia@example.org")
    page.locator("input[name=display_name]").fill("Lucía")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_role("button", name="Registrarse").click()
    page.wait_for_url("**/confirm-email/**")
    walk.check(page, "verify-email")
    lucia = User.objects.get(email="lucia@example.org")
    assert lucia.language == "es", "the account is made in the language it was read in"
    message = mail.outbox[-1]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    walk.check(page, "confirm-email")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/dashboard/")
    walk.check(page, "dashboard")

    # 2. The support network: a person and a group.
    page.goto("/network/")
    walk.check(page, "network-empty")
    form = page.locator("#add-source-form")
    form.get_by_role("link", name="Agregar a alguien a tu red").click()
    form.get_by_label("Nombre").wait_for()
    walk.check(page, "network-add-form")
    form.get_by_label("Nombre").fill("María López")
    form.get_by_label("Categoría").select_option(label="Familia")
    form.get_by_label("Quién es para ti", exact=False).fill("hermana")
    form.get_by_label("Emocional", exact=True).check()
    form.get_by_label("Puedo contar con su ayuda en una crisis").check()
    form.locator("details summary").first.click()
    form.locator("input[name=email]").fill("maria@example.org")
    form.get_by_role("button", name="Agregar a mi red").click()
    page.locator("#source-list").get_by_role("heading", name="María López").wait_for()
    walk.check(page, "network-one")
    form = page.locator("#add-source-form")
    if not form.locator("form").count():
        form.get_by_role("link", name="Agregar a alguien a tu red").click()
        form.get_by_label("Nombre").wait_for()
    form.get_by_label("Nombre").fill("Grupo de los martes")
    form.get_by_label("Categoría").select_option(label="Grupo de apoyo")
    form.locator("details summary").first.click()
    form.locator("input[name=meets_where]").fill("Salón de San Marcos")
    form.locator("input[name=meets_when]").fill("Los martes, 7 de la tarde")
    form.get_by_role("button", name="Agregar a mi red").click()
    page.locator("#source-list").get_by_role("heading", name="Grupo de los martes").wait_for()
    walk.check(page, "network-two")
    assert SupportSource.objects.filter(owner=lucia).count() == 2

    # 3. The four steps.
    page.goto("/plan/")
    page.get_by_role("heading", name="Paso 1: ¿Quién podría apoyarte?").wait_for()
    walk.check(page, "plan-step-1")
    page.get_by_label("María López").check()
    page.get_by_label("Grupo de los martes").check()
    page.get_by_role("button", name="Guardar e ir al paso 2").click()
    page.get_by_role("heading", name="Paso 2: Pide apoyo").wait_for()
    walk.check(page, "plan-step-2")
    for name in ("María López", "Grupo de los martes"):
        card = page.locator("article", has=page.get_by_role("heading", name=name))
        card.get_by_label("Emocional").check()
        card.get_by_label("¿Cómo te fue?").select_option(label="Aceptó")
        expect(card.locator("[data-save-state]")).to_have_text("Guardado")
    walk.check(page, "plan-step-2-asked")
    page.get_by_role("link", name="Ir al paso 3").click()
    page.get_by_role("heading", name="Paso 3: Lo que es realista").wait_for()
    walk.check(page, "plan-step-3")
    maria = page.locator("article", has=page.get_by_role("heading", name="María López"))
    maria.get_by_label("Lo que de verdad puede dar").fill("Llamadas por la tarde")
    maria.get_by_label("Cada cuánto puede").select_option(label="Cada semana")
    expect(maria.locator("[data-save-state]")).to_have_text("Guardado")
    walk.check(page, "plan-step-3-given")
    page.get_by_role("link", name="Ir al paso 4").click()
    page.get_by_role("heading", name="Paso 4: Tu plan").wait_for()
    walk.check(page, "plan-step-4")
    page.get_by_role("button", name=re.compile("^Agregar como reunión")).click()
    page.locator("#section-activities li", has_text="Grupo de los martes").wait_for()
    relapse = page.locator("#section-relapse")
    relapse.get_by_label("Tipo").select_option(label="Señal de alerta")
    relapse.locator("select[name=area]").select_option(label="Ánimo")
    relapse.get_by_label("Qué es").fill("Cuando llega el día de pago")
    relapse.get_by_label("Lo que haré").fill("Llamar a María")
    relapse.get_by_role("button", name="Agregar a mi plan").click()
    page.locator("#section-relapse li", has_text="Cuando llega el día de pago").wait_for()
    page.reload()
    walk.check(page, "plan-step-4-filled")
    page.locator("section.activate").get_by_role("button", name="Activar de todos modos").click()
    page.get_by_role("heading", name="Mi plan de apoyo").wait_for()
    assert Plan.objects.get(owner=lucia).is_active
    walk.check(page, "plan-active")
    page.goto("/plan/")
    page.get_by_role("heading", name="Tu plan de un vistazo").wait_for()
    walk.check(page, "plan-overview")

    # 4. A check-in.
    page.goto("/plan/checkin/")
    page.get_by_role("heading", name="¿Cómo estás hoy?").wait_for()
    walk.check(page, "checkin")
    page.get_by_role("radio", name="Bueno", exact=True).check()
    page.get_by_role("radio", name="2", exact=True).check()
    page.get_by_label("¿Algo más que tengas en mente?").fill("Un día tranquilo.")
    page.locator("form.checkin-form button[type=submit]").last.click()
    page.locator("#checkin-status").get_by_text("Gracias por registrar cómo estás.").wait_for()
    assert CheckIn.objects.filter(owner=lucia).count() == 1
    walk.check(page, "checkin-done")

    # 5. An invitation, in Spanish, to someone whose browser speaks English.
    page.goto("/sharing/")
    walk.check(page, "sharing")
    invite = page.locator("#invite")
    invite.locator("input[name=email]").fill("ana@example.org")
    invite.locator("input[name=role][value=supporter]").check()
    invite.locator("select[name=language]").select_option(label="Español")
    invite.get_by_role("button", name="Enviar invitación").click()
    page.get_by_text("ana@example.org", exact=False).first.wait_for()
    walk.check(page, "sharing-invited")
    assert Invitation.objects.get(email="ana@example.org").language == "es"
    body = next(m.body for m in reversed(mail.outbox) if m.to == ["ana@example.org"])
    link = re.search(r"https?://\S+/invite/\S+/", body).group(0)

    ana = spanish_phone(browser, live_server, locale="en-US")
    ana.goto("/" + link.split("://", 1)[1].split("/", 1)[1])
    ana.get_by_role("heading", name="Lucía", exact=False).first.wait_for()
    walk.check(ana, "invitation")

    # The account stays Spanish, whatever the browser: "Español" on the account page.
    lucia.refresh_from_db()
    assert lucia.language == "es", "and it stays Spanish"
    page.goto("/accounts/about-you/")
    assert page.locator("select[name=language]").input_value() == "es"
    walk.check(page, "about-you")
    walk.done()
    ana.context.close()
    page.context.close()
