"""A day's work in a real browser: headless Chromium driven by Selenium against `kvota serve --demo S`.

Run by scripts/browser-test, which starts the server and passes its address and log. Each step asserts what a
user would see; screenshots of the main pages go to --screenshots.
"""
import argparse
import datetime
import io
import os
import re
import sqlite3
import sys
import time
import unittest
import urllib.request

import icalendar
import openpyxl

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

ARGS = None

DRAG = """
const [card, column] = arguments;
const data = new DataTransfer();
card.dispatchEvent(new DragEvent("dragstart", {bubbles: true, dataTransfer: data}));
column.dispatchEvent(new DragEvent("dragover", {bubbles: true, cancelable: true, dataTransfer: data}));
column.dispatchEvent(new DragEvent("drop", {bubbles: true, cancelable: true, dataTransfer: data}));
"""


def demo_sign_ins(log_path):
    """The demo users and password, from the line the server logs once when it generates the demo company."""
    with open(log_path, encoding="utf-8") as log:
        for line in log:
            if "demo sign-in" in line:
                password = re.search(r"password=(\S+)", line).group(1)
                accounts = dict(re.findall(r"\b(rep|order_desk|head|director|analyst|admin)=(\S+@\S+)", line))
                return accounts, password
    raise AssertionError("the server did not log the demo sign-in")


class DayInTheBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        options = webdriver.ChromeOptions()
        options.binary_location = ARGS.chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900", "--lang=en-GB"):
            options.add_argument(flag)
        cls.browser = webdriver.Chrome(service=Service(ARGS.chromedriver), options=options)
        cls.browser.implicitly_wait(0)
        cls.accounts, cls.password = demo_sign_ins(ARGS.log)
        os.makedirs(ARGS.screenshots, exist_ok=True)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()

    # Helpers

    def go(self, path):
        self.browser.get(ARGS.url + path)

    def text(self):
        return self.browser.find_element(By.TAG_NAME, "body").text

    def heading(self):
        return self.browser.find_element(By.TAG_NAME, "h1").text

    def wait_for(self, condition, timeout=10):
        # While a submitted form's answer replaces the page, Chrome can report the element just found as gone
        # ("Node with given id does not belong to the document"); that is the swap, not a failure, so poll again.
        # A condition that never holds still fails, with a timeout.
        return WebDriverWait(self.browser, timeout, ignored_exceptions=(WebDriverException,)).until(condition)

    def shot(self, name):
        self.browser.save_screenshot(os.path.join(ARGS.screenshots, name + ".png"))

    def sign_in(self, role):
        self.browser.delete_all_cookies()
        self.go("/sign-in")
        self.browser.find_element(By.ID, "email").send_keys(self.accounts[role])
        self.browser.find_element(By.ID, "password").send_keys(self.password)
        self.browser.find_element(By.CSS_SELECTOR, "form.stack button[type=submit]").click()
        self.wait_for(EC.presence_of_element_located((By.CSS_SELECTOR, "nav.main")))

    def use_english(self):
        # The demo's people read Kvota in their own languages; the flows check English texts.
        self.go("/profile")
        Select(self.browser.find_element(By.ID, "language")).select_by_value("en")
        self.submit_and_load(self.browser.find_element(By.CSS_SELECTOR, "form.stack"))

    def submit(self, form):
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def submit_and_load(self, form):
        self.wait_for_next_page(lambda: self.submit(form))

    def wait_for_next_page(self, action):
        # Waiting for an old element to go stale races the navigation: while the old document unloads, Chromium may
        # answer a question about its element with another error than "stale". A mark on the old window cannot race.
        self.browser.execute_script("window.kvotaOldPage = true")
        action()
        WebDriverWait(self.browser, 10, ignored_exceptions=(WebDriverException,)).until(
            lambda b: b.execute_script("return window.kvotaOldPage === undefined && document.readyState === 'complete'"))

    def drag(self, deal_id, stage_name):
        card = self.browser.find_element(By.CSS_SELECTOR, f'.card[data-deal="{deal_id}"]')
        columns = self.browser.find_elements(By.CSS_SELECTOR, ".column[data-stage]")
        column = next(c for c in columns if c.find_element(By.TAG_NAME, "h2").text == stage_name)
        self.wait_for_next_page(lambda: self.browser.execute_script(DRAG, card, column))

    # The story

    def test_a_day_of_work(self):
        b = self.browser
        self.go("/sign-in")
        self.assertIn("Sign in", self.heading())
        self.shot("sign-in")

        # A rep signs in and lands on their day.
        self.sign_in("rep")
        self.assertEqual(self.heading(), "My day")
        self.assertIn("Overdue", self.text())
        self.shot("my-day")

        # They add an account, and a deal for it without an amount yet.
        self.go("/accounts/new")
        name = f"Browser Test AB {int(time.time())}"
        b.find_element(By.ID, "name").send_keys(name)
        b.find_element(By.ID, "legalId").send_keys(f"55{int(time.time()) % 10**8:08d}")
        self.submit(b.find_element(By.CSS_SELECTOR, "form.stack"))
        self.wait_for(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), name))
        self.assertIn("The account is created.", self.text())
        b.find_element(By.XPATH, "//summary[normalize-space()='New deal']").click()
        b.find_element(By.ID, "title").send_keys("Warehouse shelving")
        self.submit(b.find_element(By.CSS_SELECTOR, "details[open] form"))
        self.wait_for(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Warehouse shelving"))
        deal_id = re.search(r"/deals/(\d+)$", b.current_url).group(1)
        self.shot("account-and-deal")

        # On the board they drag it from New to Qualification, then to Proposal, which asks for the amount.
        self.go("/board")
        self.assertIn("Sales funnel", self.heading())
        self.drag(deal_id, "Qualification")
        self.assertIn("The deal is moved.", self.text())
        self.drag(deal_id, "Proposal")
        self.assertEqual(self.heading(), "Move “Warehouse shelving” to Proposal")
        amount = b.find_element(By.ID, "amount")
        self.assertEqual(amount.get_attribute("aria-invalid"), "true")
        self.assertIn("is required in stage 'Proposal'", self.text())
        self.shot("required-fields")
        amount.send_keys("12500")
        self.submit(b.find_element(By.CSS_SELECTOR, "form.stack"))
        self.wait_for(EC.presence_of_element_located((By.CSS_SELECTOR, ".board")))
        proposal = next(c for c in b.find_elements(By.CSS_SELECTOR, ".column[data-stage]")
                        if c.find_element(By.TAG_NAME, "h2").text == "Proposal")
        self.assertTrue(proposal.find_elements(By.CSS_SELECTOR, f'.card[data-deal="{deal_id}"]'))
        self.shot("board")

        # They win it from the deal page; winning needs the expected close date Negotiation asks for.
        self.go(f"/deals/{deal_id}")
        b.find_element(By.XPATH, "//button[normalize-space()='Mark as won']").click()
        self.wait_for(EC.presence_of_element_located((By.ID, "expectedClose")))
        b.execute_script("document.getElementById('expectedClose').value = '2026-12-31'")
        self.submit(b.find_element(By.CSS_SELECTOR, "form.stack"))
        self.wait_for(EC.presence_of_element_located((By.CSS_SELECTOR, ".badge.won")))
        self.assertIn("Entered stage Won", self.text())
        self.shot("deal")

        # The order desk sees the draft order the won deal made.
        self.sign_in("order_desk")
        self.go("/order-desk")
        self.assertIn(name, self.text())
        self.shot("order-desk")

        # The rep switches to Russian and sees the board in Russian, with Russian numbers.
        self.sign_in("rep")
        self.go("/profile")
        Select(b.find_element(By.ID, "language")).select_by_value("ru")
        self.submit(b.find_element(By.CSS_SELECTOR, "form.stack"))
        self.wait_for(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "Язык сохранён."))
        self.go("/board")
        self.assertIn("Воронка продаж", self.heading())
        totals = " ".join(e.text for e in b.find_elements(By.CSS_SELECTOR, ".column-total"))
        self.assertRegex(totals, r"\d+ сдел(ка|ки|ок)")
        self.assertRegex(totals, r"\d[\u00a0 ]\d{3} €", "thousands apart by a space, the euro sign after")
        self.assertIn("12\u00a0500\u00a0€", b.find_element(By.CSS_SELECTOR, f'.card[data-deal="{deal_id}"]').text.replace(" ", "\u00a0"))
        self.shot("board-ru")

        # Another rep's deal is not theirs to open, even by its URL.
        with sqlite3.connect(ARGS.database) as db:
            rep_id = db.execute("SELECT id FROM users WHERE email = ?", (self.accounts["rep"],)).fetchone()[0]
            other = db.execute("SELECT id FROM deals WHERE owner_id <> ? ORDER BY id LIMIT 1", (rep_id,)).fetchone()[0]
        self.go(f"/deals/{other}")
        self.assertIn("404", self.heading())
        self.assertNotIn("Mark as won", self.text())

        # My day on a phone-sized screen.
        b.set_window_size(390, 844)
        self.go("/")
        self.assertEqual(self.heading(), "Мой день")
        self.shot("my-day-phone")
        b.set_window_size(1280, 900)

    def test_lists_records_and_settings(self):
        b = self.browser
        # The rep (back in English) sorts their deals by amount and keeps that as a view.
        self.sign_in("rep")
        self.use_english()
        self.go("/deals?status=open")
        self.assertEqual(self.heading(), "Deals")
        b.find_element(By.XPATH, "//th/a[starts-with(normalize-space(), 'Amount')]").click()
        self.wait_for(EC.presence_of_element_located((By.CSS_SELECTOR, "th[aria-sort=descending]")))
        self.assertIn("sort=-amount", b.current_url)
        b.find_element(By.XPATH, "//summary[normalize-space()='Save these filters as a view']").click()
        b.find_element(By.ID, "view-name").send_keys("Biggest open")
        self.submit(b.find_element(By.CSS_SELECTOR, "details[open] form"))
        self.wait_for(EC.presence_of_element_located((By.XPATH, "//nav[@class='tabs']//a[normalize-space()='Biggest open']")))
        self.assertIn("The view is saved.", self.text())
        self.shot("deals-list")

        # A new deal (no product lines yet, so its amount is typed): they change the amount in place — click, type, Enter.
        self.go("/accounts")
        b.find_element(By.CSS_SELECTOR, "table.list tbody tr a").click()
        b.find_element(By.XPATH, "//summary[normalize-space()='New deal']").click()
        b.find_element(By.ID, "title").send_keys("Loading ramps")
        self.submit(b.find_element(By.CSS_SELECTOR, "details[open] form"))
        self.wait_for(EC.text_to_be_present_in_element((By.TAG_NAME, "h1"), "Loading ramps"))
        b.find_element(By.CSS_SELECTOR, "[data-edit=amount]").click()
        editor = b.find_element(By.CSS_SELECTOR, "[data-edit=amount] input")
        editor.send_keys(Keys.CONTROL, "a", Keys.NULL, "777", Keys.ENTER)
        self.wait_for(EC.text_to_be_present_in_element((By.TAG_NAME, "body"), "The deal is saved."))
        self.assertIn("777", b.find_element(By.CSS_SELECTOR, "[data-edit=amount]").text)

        # A contact's page: how to reach them, their deals, quick actions and timeline.
        self.go("/contacts")
        b.find_element(By.CSS_SELECTOR, "table.list tbody tr a").click()
        self.wait_for(EC.presence_of_element_located((By.CSS_SELECTOR, "ul.channels")))
        self.shot("contact")

        # The head keeps the sales funnel's stages in the settings area.
        self.sign_in("head")
        self.go("/admin/pipelines")
        b.find_element(By.CSS_SELECTOR, "table.list tbody tr a").click()
        self.wait_for(EC.presence_of_element_located((By.CSS_SELECTOR, "ol.stages")))
        self.shot("admin-pipeline")

    def test_analytics_drill_down(self):
        b = self.browser
        # The commercial director reads the territories and follows a region's bar to the orders behind it.
        self.sign_in("director")
        self.use_english()
        self.go("/analytics")
        self.assertEqual(self.heading(), "Analytics")
        self.shot("analytics-overview")
        self.go("/analytics/territory")
        self.assertEqual(self.heading(), "Territory analysis")
        self.shot("analytics-territory")
        # Followed by its address: a synthetic click on an SVG link raced the navigation once in five runs.
        self.go(b.find_element(By.CSS_SELECTOR, "svg.chart a.drill").get_dom_attribute("href"))
        self.assertEqual(self.heading(), "Orders")
        self.assertIn("sales=true", b.current_url)
        self.assertIn("region=", b.current_url)
        self.assertEqual(b.find_element(By.ID, "filter-sales").get_attribute("value"), "true")

        # Customers who moved from A to B between the last two quarters, from the migration heat map.
        self.go("/analytics/migration")
        self.assertEqual(self.heading(), "Customer category migration")
        self.shot("analytics-migration")
        cells = [a.get_dom_attribute("href") or "" for a in b.find_elements(By.CSS_SELECTOR, "svg.chart a.drill")]
        self.go(next(href for href in cells if "from=A&to=B" in href))
        self.assertIn("Customers moving A → B", self.text())

        # The funnel of the first pipeline.
        self.go("/analytics/funnel")
        self.assertEqual(self.heading(), "Sales funnel")
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "figure.chart svg"))
        self.shot("analytics-funnel")

    def test_plans_split_and_pay(self):
        b = self.browser
        # The director drafts next month's plan for a team, approves it and splits it across the team's reps on the
        # split screen, which will not create parts that do not add up without a reason.
        self.sign_in("director")
        self.use_english()
        today = datetime.date.today()
        following = (today.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
        self.go("/plans/new?period=" + following)
        self.assertEqual(self.heading(), "New plan")
        subject = Select(b.find_element(By.ID, "subject"))
        team = next(o for o in subject.options if o.get_attribute("value").startswith("team:"))
        team_name = team.text
        subject.select_by_value(team.get_attribute("value"))
        b.find_element(By.ID, "revenue").send_keys("90000")
        self.submit_and_load(b.find_element(By.CSS_SELECTOR, "form.stack"))
        self.assertIn(f"{team_name} · {following} · draft", self.heading())
        self.wait_for_next_page(lambda: b.find_element(By.XPATH, "//button[text()='Approve']").click())
        self.assertIn("The plan is approved and locked.", self.text())
        self.shot("plan")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "Split one level down").click())
        self.assertIn("Split", self.heading())
        first = b.find_element(By.NAME, "p0.revenue")
        first.clear()
        first.send_keys("1")
        self.wait_for_next_page(lambda: b.find_element(By.XPATH, "//button[text()='Create drafts']").click())
        self.assertIn("do not add up", b.find_element(By.ID, "overrideReason-error").text)
        self.shot("plan-split")
        b.find_element(By.ID, "overrideReason").send_keys("A new rep starts mid-month")
        self.wait_for_next_page(lambda: b.find_element(By.XPATH, "//button[text()='Create drafts']").click())
        self.assertIn("The parts are created as drafts", self.text())
        self.assertIn("A new rep starts mid-month", self.text())

        # Last month's payouts with their statements, and a scheme's preview on last month.
        self.go("/pay")
        self.assertIn("Payouts ·", self.heading())
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "table.list tbody tr"))
        self.shot("payouts")
        self.go("/schemes")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "New version from this").click())
        self.wait_for_next_page(lambda: b.find_element(By.XPATH, "//button[text()='Preview on last month']").click())
        self.assertIn("under this scheme", self.text())
        self.shot("scheme-preview")

    def test_daily_meeting_and_rep_card(self):
        b = self.browser
        # The head opens the daily meeting from the team page, then a rep's card and the leaderboard.
        self.sign_in("head")
        self.use_english()
        self.go("/team")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "Daily meeting").click())
        self.assertIn("Daily meeting ·", self.heading())
        self.assertIn("Overdue tasks", self.text())
        self.shot("daily-meeting")
        rep = b.find_elements(By.CSS_SELECTOR, "main table.list tbody tr td a")[1]
        name = rep.text
        self.wait_for_next_page(rep.click)
        self.assertIn(name, self.heading())
        self.assertIn("Outbound calls", self.text())
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "figure.chart svg"))
        self.shot("rep-card")
        self.go("/team/leaderboard?key=revenue")
        self.assertIn("Leaderboard ·", self.heading())

    def test_key_customer_survey(self):
        b = self.browser
        # The head sends the demo's template to their key customers and gets a link per contact, shown once.
        self.sign_in("head")
        self.use_english()
        self.go("/surveys")
        self.assertIn("Key-customer surveys", self.heading())
        form = b.find_element(By.CSS_SELECTOR, "form.stacked")
        form.find_element(By.ID, "title").send_keys("Browser pulse")
        for box in form.find_elements(By.CSS_SELECTOR, "input[name=account]"):
            box.click()
        self.submit_and_load(form)
        self.assertIn("Links for Browser pulse", self.heading())
        links = [field.get_attribute("value") for field in b.find_elements(By.CSS_SELECTOR, "input.copy")]
        self.assertTrue(links and all("/q/kvq_" in link for link in links))
        self.shot("survey-links")
        # A customer's contact opens their link without signing in and answers.
        b.delete_all_cookies()
        path = links[0][links[0].index("/q/"):]
        self.go(path)
        self.assertIn("Browser pulse", self.heading())
        b.find_element(By.CSS_SELECTOR, "input[name=q1][value='9']").click()
        b.find_element(By.CSS_SELECTOR, "input[name=q2][value='4']").click()
        b.find_element(By.CSS_SELECTOR, "input[name=q3][value='5']").click()
        b.find_element(By.ID, "q4").send_keys("Keep the same driver, please.")
        self.shot("survey-answer")
        self.submit_and_load(b.find_element(By.CSS_SELECTOR, "form.survey"))
        self.assertIn("your answers are recorded", self.text())
        self.go(path)
        self.assertIn("has been answered", self.text())
        self.assertNotIn("same driver", self.text())
        # The head sees the answer on the sending's page.
        self.sign_in("head")
        self.go("/surveys")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "Browser pulse").click())
        self.assertIn("Keep the same driver, please.", self.text())

    def test_orders_as_a_workbook(self):
        b = self.browser
        # The director exports the orders list; a spreadsheet reader finds numbers, dates and money as such.
        self.sign_in("director")
        self.use_english()
        self.go("/orders")
        href = b.find_element(By.LINK_TEXT, "Export XLSX").get_attribute("href")
        cookies = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in b.get_cookies())
        with urllib.request.urlopen(urllib.request.Request(href, headers={"Cookie": cookies}), timeout=60) as answer:
            self.assertEqual(answer.headers["Content-Type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            book = openpyxl.load_workbook(io.BytesIO(answer.read()))
        sheet = book.active
        header = [cell.value for cell in sheet[1]]
        self.assertEqual(header[:7], ["id", "number", "account_id", "deal_id", "owner_id", "ordered_on", "status"])
        self.assertGreater(sheet.max_row, 100)
        row = dict(zip(header, sheet[2]))
        self.assertIsInstance(row["id"].value, int)
        self.assertIsInstance(row["number"].value, str)
        self.assertTrue(row["ordered_on"].is_date)
        self.assertIsInstance(row["ordered_on"].value, datetime.datetime)
        self.assertIsInstance(row["total"].value, (int, float))
        self.assertEqual(row["total"].number_format, "#,##0.00")
        self.assertIn(row["status"].value, ("confirmed", "shipped", "invoiced", "paid", "cancelled", "draft"))

    def test_calendar_feed(self):
        b = self.browser
        # A rep makes their calendar's address on the profile; it is shown once.
        self.sign_in("rep")
        self.use_english()
        self.go("/profile")
        self.submit_and_load(b.find_element(By.CSS_SELECTOR, "form[action='/profile/calendar']"))
        self.assertIn("Copy the address now", self.text())
        url = b.find_element(By.CSS_SELECTOR, "#calendar code.secret").text
        self.assertRegex(url, r"/calendar/kvc_[A-Za-z0-9_-]+\.ics$")
        self.shot("profile-calendar")
        # A calendar app fetches it without signing in; a real iCalendar reader takes it.
        with urllib.request.urlopen(url, timeout=10) as answer:
            self.assertEqual(answer.headers["Content-Type"], "text/calendar; charset=utf-8")
            calendar = icalendar.Calendar.from_ical(answer.read())
        self.assertEqual(str(calendar["VERSION"]), "2.0")
        events = list(calendar.walk("VEVENT"))
        self.assertTrue(events, "the demo rep has tasks and meetings")
        for event in events:
            self.assertTrue(str(event["UID"]).startswith("activity-"))
            self.assertLessEqual(event.decoded("DTSTART"), event.decoded("DTEND"))
            self.assertRegex(str(event["SUMMARY"]), r"^(✓ )?(Task|Meeting): ")
        # Turned off, the address answers nothing.
        self.go("/profile")
        form = b.find_element(By.CSS_SELECTOR, "form[action='/profile/calendar/off']")
        b.execute_script("arguments[0].removeAttribute('data-confirm')", form)
        self.submit_and_load(form)
        with self.assertRaises(urllib.error.HTTPError) as gone:
            urllib.request.urlopen(url, timeout=10)
        self.assertEqual(gone.exception.code, 404)

    def test_web_form_request(self):
        b = self.browser
        # The admin finds the site's form on the intake page, with the rules that deal its requests.
        self.sign_in("admin")
        self.use_english()
        self.go("/admin/intake")
        self.assertIn("Requests and calls", self.heading())
        self.assertIn("in turns", self.text())
        link = b.find_element(By.CSS_SELECTOR, "a[href*='/f/']").get_attribute("href")
        self.shot("intake")
        # A visitor, not signed in, sends the hosted form; a robot's hidden field stays empty.
        b.delete_all_cookies()
        self.go(link[link.index("/f/"):])
        self.assertIn("Website: contact us", self.heading())
        self.assertFalse(b.find_element(By.NAME, "website").is_displayed())
        b.find_element(By.ID, "name").send_keys("Browser Visitor")
        b.find_element(By.ID, "email").send_keys("visitor@example.org")
        b.find_element(By.ID, "message").send_keys("Do you ship to Tallinn?")
        self.shot("web-form")
        self.submit_and_load(b.find_element(By.CSS_SELECTOR, "form.stacked"))
        self.assertIn("Thank you", self.text())
        # The request is a new lead with an owner by the rules, its answer clock running.
        self.sign_in("admin")
        self.go("/leads")
        item = next(li for li in b.find_elements(By.CSS_SELECTOR, "li.lead") if "Browser Visitor" in li.text)
        self.assertIn("answer within", item.text)
        self.assertNotIn("unassigned", item.text)

    def test_forecast_and_adjustment(self):
        b = self.browser
        # The head opens the forecast from the analytics overview and looks at their team's.
        self.sign_in("head")
        self.use_english()
        self.go("/analytics")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "Forecast").click())
        self.assertIn("Forecast", self.heading())
        scope = Select(b.find_element(By.ID, "scope"))
        team = next(o.get_attribute("value") for o in scope.options if o.get_attribute("value").startswith("team:"))
        scope.select_by_value(team)
        self.submit_and_load(b.find_element(By.CSS_SELECTOR, "form.filters"))
        self.assertIn("Commit by person this month", self.text())
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, "figure.chart svg polygon.band"))
        # They put their own number beside a rep's commit, with why.
        form = b.find_elements(By.CSS_SELECTOR, "form.adjust")[0]
        form.find_element(By.NAME, "amount").send_keys("5000")
        form.find_element(By.NAME, "note").send_keys("Two orders slip to January")
        self.submit_and_load(form)
        self.assertIn("The adjustment is saved.", self.text())
        self.assertEqual(Select(b.find_element(By.ID, "scope")).first_selected_option.get_attribute("value"), team, "back to the team")
        self.assertEqual(b.find_elements(By.CSS_SELECTOR, "form.adjust input[name=amount]")[0].get_attribute("value"), "5000.00")
        self.shot("forecast")

    def test_scores_trained_and_leads_by_score(self):
        b = self.browser
        # The admin trains the scores and reads how they did against the baseline.
        self.sign_in("admin")
        self.use_english()
        self.go("/admin")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "Scoring").click())
        self.submit_and_load(b.find_element(By.CSS_SELECTOR, "main form"))
        self.assertIn("The scores are trained", self.text())
        for subject in ("lead", "deal"):
            section = b.find_element(By.CSS_SELECTOR, f'section.scoring[data-subject="{subject}"]')
            self.assertIn("Learned by logistic regression", section.text)
            kvota = float(section.find_element(By.CSS_SELECTOR, ".kvota-auc").text)
            baseline = float(section.find_element(By.CSS_SELECTOR, ".baseline-auc").text)
            # The page rounds to three decimals, where the two tie on some days' demo company (0.673 each for leads
            # on 8 December); ScoringDemoTests checks at full precision that Kvota's is higher.
            self.assertGreaterEqual(kvota, baseline, f"{subject}: Kvota's score is no worse than the baseline on the demo")
        self.shot("scoring")
        # A head works the leads inbox best first; a lead's page says why it scored so.
        self.sign_in("head")
        self.use_english()
        self.go("/leads?status=in_work")
        self.wait_for_next_page(lambda: b.find_element(By.LINK_TEXT, "Best score first").click())
        scores = [int(e.text) for e in b.find_elements(By.CSS_SELECTOR, "ol.leads .score")]
        self.assertTrue(scores, "the leads in work have scores")
        self.assertEqual(scores, sorted(scores, reverse=True))
        self.wait_for_next_page(lambda: b.find_element(By.CSS_SELECTOR, "ol.leads li.lead a").click())
        self.assertTrue(b.find_elements(By.CSS_SELECTOR, ".score-fact .score-reasons li"), "the score's reasons")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--screenshots", required=True)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
