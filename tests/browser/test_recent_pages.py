"""Two console pages in a real Chromium, Thai and English (with FIELDAPP_SCREENSHOTS=DIR,
saved as PNGs to look at): a registry file in a layout the importer does not know, and an
inspection holding lab values below detection ("<2", "ND", "ND<0.5", one the value alone
cannot judge)."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from browser_world import choose_file, screenshots_folder, shoot, sign_in, submit, visit

pytestmark = pytest.mark.browser

UNKNOWN = ("รหัส,ชื่อร้าน,ที่อยู่ร้าน,เบอร์โทร,หมายเหตุการตรวจ\n"
           "1,ร้านหนึ่ง,ถนนสุขุมวิท,021234567,-\n").encode()


def test_a_registry_file_of_an_unknown_layout(page):
    sign_in(page, "admin")
    visit(page, "/admin/registry")
    choose_file(page, "ร้านค้า.csv", UNKNOWN, "text/csv")
    submit(page, "form[action='/admin/registry']")
    page.wait_for_selector("text=ไม่สำเร็จ", timeout=20_000)     # the job failed
    text = page.inner_text("main")
    assert "Factory_Data" in text and "ชื่อร้าน" in text
    shoot(page, "registry-unknown-layout")
    visit(page, "/admin/registry", "registry-unknown-layout-list")
    page.goto("/lang/en?next=/admin/registry")
    english = page.inner_text("main")
    page.goto("/lang/th?next=/admin/registry")
    assert "Factory_Data" in english


def test_an_inspection_with_values_below_detection(page, laptop):
    from fieldapp.store import inspections as insp
    from fieldapp.store import signing
    from fieldapp.store.templates import latest_published

    with laptop.store() as store:
        factory = store.query("SELECT id FROM factories WHERE province_code = '10' "
                              "ORDER BY fid LIMIT 1")[0]
        tpl = latest_published(store, "env-general")
        iid = insp.create_inspection(store, factory_id=factory["id"],
                                     template_version_id=tpl.version_id)["id"]
        for item_id in tpl.items:
            insp.set_answer(store, iid, item_id, result="not_checked")
        for item_id, typed in (("ww.bod", "< 2"), ("ww.cod", "n.d. (<0.5)"),
                               ("ww.oil_grease", "ไม่พบ"), ("ww.ss", "<60")):
            insp.set_answer(store, iid, item_id, value=typed, result=None)
        insp.set_answer(store, iid, "ww.ss", result="fail", note="ตามรายงานห้องปฏิบัติการ",
                        keep=("value",))
        signing.finalize(store, iid, require_signatures=False)
    assert laptop.sync().returncode == 0
    sign_in(page, "somchai")
    visit(page, f"/inspections/{iid}", "inspection-below-detection")
    text = page.inner_text("main")
    for shown in ("< 2 mg/L", "ไม่พบ (ND < 0.5 mg/L)", "ไม่พบ (ND)", "< 60 mg/L"):
        assert shown in text, shown
    # A value and its limit are each one line, not "≤ 20" over "mg/L".
    lines = page.evaluate("""() => [...document.querySelectorAll(
        '#answers td.limit, #answers .value')].filter(e => e.textContent.includes('mg/L'))
        .map(e => { const r = document.createRange(); r.selectNodeContents(e);
                    return [e.textContent.trim(), r.getClientRects().length]; })""")
    assert len(lines) >= 8 and all(n == 1 for _, n in lines), lines
    shoot_section(page, "#answers tbody:has-text('< 2 mg/L')", "inspection-wastewater")


def shoot_section(page, selector: str, name: str) -> None:
    """With FIELDAPP_SCREENSHOTS: one part of the page alone, in each language (a full page
    is too tall to read the rows in)."""
    folder = screenshots_folder()
    if folder is None:
        return
    here = page.url.split("://", 1)[1].split("/", 1)[1]
    for lang in ("en", "th"):
        page.goto(f"/lang/{lang}?next={quote('/' + here, safe='')}")
        page.locator(selector).screenshot(path=str(folder / f"{name}-{lang}.png"))


def test_dates_are_typed_in_the_buddhist_era(page):
    """The date filters are text typed in the Buddhist era (a browser's own date input shows
    Christian-era years): an unreadable one is said and kept; a readable one is applied
    and shown back as dd/mm/yyyy."""
    sign_in(page, "somchai")
    visit(page, "/inspections?from=31/2/2569")
    assert "อ่านวันที่ไม่ได้" in page.inner_text("main")
    assert page.input_value("input[name=from]") == "31/2/2569"
    shoot(page, "date-filter-unreadable")
    page.fill("input[name=from]", "1 ม.ค. 69")
    with page.expect_navigation():
        page.click("form.filters button.primary")
    assert "from=1+" in page.url or "from=1%20" in page.url
    assert "อ่านวันที่ไม่ได้" not in page.inner_text("main")
    assert page.input_value("input[name=from]") == "01/01/2569"
    assert page.get_attribute("input[name=to]", "placeholder") == "วว/ดด/ปปปป"
    shoot(page, "date-filter-typed")
