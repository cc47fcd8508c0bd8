"""Drives `ftw serve`'s page in a real headless browser (Debian's chromium and chromium-driver,
through Selenium) as a person would.

    python3 Scripts/check_serve.py FTW_BINARY            # the checks .ci/run makes
    python3 Scripts/check_serve.py FTW_BINARY --measure  # one whole game: round trip and frames a second
    python3 Scripts/check_serve.py FTW_BINARY --screenshots DIR --runs RUNS --opponent RUN
                                                          # the README's pictures of play and watch

The checks: the page opens; a 1 v 1 game against the random bot starts; holding the forward key
moves the person's player; holding Space fires the beam; the game plays to its end and the page
shows the result, a GIF of it and the record; a malformed message gets an error and the server
goes on; a run's live view gains points while a tiny training run writes. --measure plays a
1000-step game holding keys and prints the step round trip's median and 99th percentile (key
state sent to the frame after it drawn, as the page times it) and the frames a second drawn.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait


def start_server(ftw, runs, games, maximum_games=16):
    server = subprocess.Popen(
        [ftw, "serve", "--runs", runs, "--games", games, "--port", "0", "--maximum-games", str(maximum_games)],
        stdout=subprocess.PIPE,
        text=True,
    )
    for _ in range(20):
        line = server.stdout.readline()
        match = re.search(r"serving http://[\d.]+:(\d+)/", line)
        if match:
            return server, f"http://127.0.0.1:{match.group(1)}/"
        if not line:
            break
    server.kill()
    sys.exit("ftw serve did not say where it listens")


def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(options=options, service=service)


def text(driver, element_id):
    return driver.find_element(By.ID, element_id).text


def wait_for(driver, condition, seconds, what):
    try:
        return WebDriverWait(driver, seconds, poll_frequency=0.1).until(lambda _: condition())
    except Exception:
        sys.exit(f"timed out after {seconds} s waiting for {what}")


def hold(driver, key, seconds):
    ActionChains(driver).key_down(key).perform()
    time.sleep(seconds)
    ActionChains(driver).key_up(key).perform()


def start_game(driver, url, steps, opponent="random", team_size="1"):
    driver.get(url)
    wait_for(driver, lambda: "random" in [o.text for o in Select(driver.find_element(By.ID, "opponents")).options], 20, "the players' list")
    Select(driver.find_element(By.ID, "arena")).select_by_visible_text("tiny")
    Select(driver.find_element(By.ID, "teamSize")).select_by_visible_text(team_size)
    Select(driver.find_element(By.ID, "opponents")).select_by_visible_text(opponent)
    steps_field = driver.find_element(By.ID, "steps")
    steps_field.clear()
    steps_field.send_keys(str(steps))
    driver.find_element(By.ID, "start").click()
    wait_for(driver, lambda: text(driver, "position") not in ("", "–"), 20, "the game's first frame")
    driver.find_element(By.TAG_NAME, "body").click()


def position(driver):
    return [float(v) for v in text(driver, "position").split(",")]


def check(ftw):
    work = tempfile.mkdtemp(prefix="ftw-serve-")
    runs, games = os.path.join(work, "runs"), os.path.join(work, "games")
    os.makedirs(runs)
    server, url = start_server(ftw, runs, games, maximum_games=4)
    driver = browser()
    training = None
    try:
        start_game(driver, url, steps=240)
        before = position(driver)
        hold(driver, Keys.ARROW_UP, 2.0)
        after = position(driver)
        moved = sum(abs(a - b) for a, b in zip(before, after))
        if moved < 0.5:
            sys.exit(f"holding forward for 2 s moved the player from {before} to {after}")
        print(f"forward: the player moved from {before} to {after}")
        hold(driver, Keys.SPACE, 1.5)
        wait_for(driver, lambda: int(text(driver, "fired")) > 0, 5, "a beam fired")
        print(f"tag: {text(driver, 'fired')} beams fired")
        wait_for(driver, lambda: text(driver, "result").startswith("You "), 40, "the game's end")
        print(f"result: {text(driver, 'result')}")
        gif = driver.find_element(By.ID, "gif").get_attribute("href")
        header = driver.execute_script(
            "const r = await fetch(arguments[0]); const b = new Uint8Array(await r.arrayBuffer());"
            " return String.fromCharCode(...b.slice(0, 6)) + ' ' + b.length;",
            gif,
        )
        if not header.startswith("GIF89a"):
            sys.exit(f"the game's GIF is not a GIF: {header}")
        print(f"GIF: {header.split()[1]} bytes")
        wait_for(driver, lambda: "random" in text(driver, "record"), 10, "the record")
        print(f"record: {text(driver, 'record').splitlines()[-1]}")
        if len(os.listdir(games)) != 1:
            sys.exit(f"{games} should keep one game, holds {os.listdir(games)}")
        # A malformed message and an unknown seat: errors on the page, and the server goes on.
        errors = driver.execute_script(
            "const answers = [];"
            "for (const message of ['not json', JSON.stringify({type: 'start', seat: 7}), JSON.stringify({type: 'keys'})]) {"
            "  const socket = new WebSocket(`ws://${location.host}/play`);"
            "  answers.push(await new Promise((done) => {"
            "    socket.onopen = () => socket.send(message);"
            "    socket.onmessage = (event) => { done(JSON.parse(event.data).message); socket.close(); };"
            "    setTimeout(() => done('no answer'), 5000);"
            "  }));"
            "}"
            "return answers;"
        )
        for error in errors:
            if error == "no answer" or not error:
                sys.exit(f"a bad message got no error: {errors}")
        print(f"bad messages answered: {errors}")
        # Several games at once, up to --maximum-games (4, the page's own connection holding one);
        # a closed connection ends its game and frees its place.
        answers = driver.execute_script(
            "const start = {type: 'start', steps: 1000};"
            "const open = () => new Promise((done) => {"
            "  const socket = new WebSocket(`ws://${location.host}/play`);"
            "  socket.binaryType = 'arraybuffer';"
            "  socket.onopen = () => socket.send(JSON.stringify(start));"
            "  socket.onmessage = (event) => done({socket, answer: typeof event.data === 'string' ? JSON.parse(event.data).message : 'frame'});"
            "  setTimeout(() => done({socket, answer: 'no answer'}), 5000);"
            "});"
            "const games = [await open(), await open(), await open()];"
            "const full = await open();"
            "games[0].socket.close();"
            "await new Promise((done) => setTimeout(done, 1000));"
            "const again = await open();"
            "for (const game of games.concat([full, again])) game.socket.close();"
            "return games.map((g) => g.answer).concat([full.answer, again.answer]);"
        )
        if answers[:3] != ["frame"] * 3 or "busy" not in answers[3] or answers[4] != "frame":
            sys.exit(f"several games at once, a full server and a freed place: {answers}")
        print(f"three games at once, a fourth refused ({answers[3]!r}), a closed one's place taken again")
        # The live view: a tiny run writes; its curve gains points.
        training = subprocess.Popen(
            [ftw, "train", "--network", "small", "--frames", "60000", "--steps-per-game", "100",
             "--run-dir", os.path.join(runs, "tiny")],
            stdout=subprocess.DEVNULL,
        )
        wait_for(driver, lambda: os.path.exists(os.path.join(runs, "tiny", "metrics.csv")), 60, "the run's folder")
        driver.get(url)
        driver.find_element(By.ID, "tab-watch").click()
        wait_for(driver, lambda: "tiny" in [o.text for o in Select(driver.find_element(By.ID, "watch-run")).options], 20, "the run in the list")
        Select(driver.find_element(By.ID, "watch-run")).select_by_visible_text("tiny")
        wait_for(driver, lambda: int(text(driver, "points")) > 0, 60, "the curve's first point")
        first = int(text(driver, "points"))
        wait_for(driver, lambda: int(text(driver, "points")) > first, 60, "the curve to gain a point")
        print(f"live view: the curve went from {first} to {text(driver, 'points')} points while the run trained")
    finally:
        if training:
            training.terminate()
            training.wait()
        driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    print("ftw serve: every check passed")


def measure(ftw):
    work = tempfile.mkdtemp(prefix="ftw-serve-")
    runs, games = os.path.join(work, "runs"), os.path.join(work, "games")
    os.makedirs(runs)
    server, url = start_server(ftw, runs, games)
    driver = browser()
    try:
        start_game(driver, url, steps=1000)
        started = time.time()
        ActionChains(driver).key_down(Keys.ARROW_UP).key_down(Keys.ARROW_LEFT).perform()
        wait_for(driver, lambda: text(driver, "result").startswith("You "), 120, "the game's end")
        elapsed = time.time() - started
        stats = driver.execute_script("return window.ftwStats;")
    finally:
        driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)
    trips = sorted(stats["roundTrips"])
    times = stats["frameTimes"]
    frames_per_second = (len(times) - 1) / ((times[-1] - times[0]) / 1000)
    p99 = trips[min(len(trips) - 1, int(0.99 * len(trips)))]
    print(
        f"{len(trips)} steps in {elapsed:.1f} s: round trip median {statistics.median(trips):.2f} ms, "
        f"99th percentile {p99:.2f} ms; {frames_per_second:.2f} frames a second drawn"
    )


def screenshots(ftw, folder, runs, opponent):
    games = tempfile.mkdtemp(prefix="ftw-serve-games-")
    server, url = start_server(ftw, runs, games)
    driver = browser()
    try:
        start_game(driver, url, steps=1000, opponent=opponent, team_size="2")
        ActionChains(driver).key_down(Keys.ARROW_UP).perform()
        time.sleep(4)
        ActionChains(driver).key_down(Keys.ARROW_RIGHT).perform()
        time.sleep(1)
        driver.save_screenshot(os.path.join(folder, "serve-play.png"))
        driver.get(url)
        driver.find_element(By.ID, "tab-watch").click()
        Select(driver.find_element(By.ID, "watch-run")).select_by_visible_text(opponent)
        Select(driver.find_element(By.ID, "watch-opponent")).select_by_visible_text("easy")
        driver.find_element(By.ID, "watch-start").click()
        wait_for(driver, lambda: int(text(driver, "points")) > 0, 20, "the curve")
        time.sleep(15)
        driver.save_screenshot(os.path.join(folder, "serve-watch.png"))
    finally:
        driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(games, ignore_errors=True)
    print(f"wrote {folder}/serve-play.png and {folder}/serve-watch.png")


def option(name):
    arguments = sys.argv[2:]
    return arguments[arguments.index(name) + 1] if name in arguments[:-1] else None


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if option("--screenshots"):
        screenshots(sys.argv[1], option("--screenshots"), option("--runs") or "runs", option("--opponent"))
    elif "--measure" in sys.argv[2:]:
        measure(sys.argv[1])
    else:
        check(sys.argv[1])
