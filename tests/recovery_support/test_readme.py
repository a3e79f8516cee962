import re

from recovery_support.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from tests.compose import PROJECT_DIR

README = (PROJECT_DIR / "README.md").read_text()


def test_the_quick_start_is_exactly_make_run_and_make_test():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    first_block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    assert first_block.splitlines() == ["make run", "make test"]
    explained = section.split("```", 2)[2]
    assert explained.lstrip().startswith("`make run` installs")
    assert "`make test` installs" in explained


def test_the_readme_lists_the_demo_accounts_and_docker():
    for account in DEMO_ACCOUNTS.values():
        assert f"`{account['email']}`" in README
    assert f"`{DEMO_PASSWORD}`" in README
    assert "`docker compose up`" in README
