#!/usr/bin/python3
# test-atspi.py
#
# Copyright 2026 The Mallipaja authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The built application as a screen reader meets it: its accessible tree
# read over AT-SPI, then a walk by the keyboard alone (xdotool under Xvfb)
# that creates a model, fills a section and sets a stage state, checked
# afterwards with --export-json. Meson runs it inside xvfb-run and
# dbus-run-session; it skips (77) only when no AT-SPI bus can be reached.
#
# Usage: test-atspi.py PATH-TO-MALLIPAJA

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The test environment makes GLib warnings fatal for our own code; in this
# process they would come from libatspi, which warns when an object goes
# away while it is being read. Before GLib is loaded, which reads it once.
APP_G_DEBUG = os.environ.pop("G_DEBUG", None)

SKIP = 77
TITLE = "Keyboard only model"
SUMMARY = "Written with the keyboard only"


def log(message):
    print("# " + message, flush=True)


def fail(message):
    print("not ok - " + message, flush=True)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def reach_atspi_bus():
    """The address of the accessibility bus, or None. Under dbus-run-session
    the session bus starts at-spi-bus-launcher on demand."""
    try:
        from gi.repository import Gio, GLib
        bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        reply = bus.call_sync("org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                              "GetAddress", None, GLib.VariantType("(s)"),
                              Gio.DBusCallFlags.NONE, 10000, None)
        return reply.unpack()[0] or None
    except Exception as error:  # any failure means: no bus to test against
        log("AT-SPI bus not reachable: %s" % error)
        return None


class Focus:
    """Follows the focus through AT-SPI's focus events, as Orca does."""

    def __init__(self, pyatspi):
        self.events = []
        pyatspi.Registry.registerEventListener(self._on_focus, "object:state-changed:focused")

    def _on_focus(self, event):
        if event.detail1:
            try:
                self.events.append((event.source.getRoleName(), event.source.name or "", event.source))
            except Exception:
                pass  # gone already

    def current(self):
        return self.events[-1] if self.events else ("", "", None)


def pump(seconds):
    from gi.repository import GLib
    context = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.pending():
            context.iteration(False)
        time.sleep(0.01)


def wait_for(predicate, seconds, step=0.05):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pump(step)
        result = predicate()
        if result:
            return result
    return predicate()


def walk(accessible, depth=0, limit=100000):
    """Every accessible below @accessible, depth first; objects that vanish
    while the tree is read are left out."""
    stack = [accessible]
    while stack and limit > 0:
        node = stack.pop()
        limit -= 1
        yield node
        try:
            children = [node.getChildAtIndex(i) for i in range(node.childCount)]
        except Exception:
            continue
        stack.extend(reversed([c for c in children if c is not None]))


def describe(node):
    try:
        return (node.getRoleName(), node.name or "")
    except Exception:
        return ("", "")


def find_app(pyatspi, pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        try:
            if app is not None and app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


def main():
    if len(sys.argv) != 2:
        fail("usage: test-atspi.py PATH-TO-MALLIPAJA")
    program = os.path.abspath(sys.argv[1])
    check(os.environ.get("DISPLAY"), "no DISPLAY: run under xvfb-run")
    check(shutil.which("xdotool"), "xdotool is missing (DEBIAN_PACKAGES in ./dev)")

    if reach_atspi_bus() is None:
        print("1..0 # SKIP the AT-SPI bus (at-spi2-core) cannot be reached on this session bus")
        sys.exit(SKIP)

    import pyatspi  # python3-pyatspi; after the check so that a skip says why

    print("1..1", flush=True)
    data_home = tempfile.mkdtemp(prefix="mallipaja-atspi-")
    env = dict(os.environ)
    # The test environment turns the bridge off for the in-process tests
    env.pop("NO_AT_BRIDGE", None)
    env.pop("GTK_A11Y", None)
    if APP_G_DEBUG is not None:
        env["G_DEBUG"] = APP_G_DEBUG
    env["XDG_DATA_HOME"] = data_home
    env["XDG_CONFIG_HOME"] = data_home
    env.setdefault("GSETTINGS_BACKEND", "memory")
    env.setdefault("LC_ALL", "C.UTF-8")
    if "MALLIPAJA_BUILD_DIR" in os.environ:
        env.setdefault("GSETTINGS_SCHEMA_DIR", os.path.join(os.environ["MALLIPAJA_BUILD_DIR"], "data"))

    focus = Focus(pyatspi)
    proc = subprocess.Popen([program], env=env)
    try:
        run(pyatspi, focus, proc, program, env)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(data_home, ignore_errors=True)
    print("ok 1 - named controls, and a model made by the keyboard alone", flush=True)


def run(pyatspi, focus, proc, program, env):
    app = wait_for(lambda: find_app(pyatspi, proc.pid), 30, step=0.2)
    check(app is not None, "the application did not appear on the AT-SPI desktop")
    log("found %s (pid %d) on the AT-SPI desktop" % (app.name, proc.pid))

    # The tree exposes named controls
    def sidebar_ready():
        nodes = [describe(n) for n in walk(app, limit=4000)]
        return nodes if any(r == "progress bar" and n.startswith("Stage ") for r, n in nodes) else None

    nodes = wait_for(sidebar_ready, 30, step=0.5)
    check(nodes, "no stage progress in the model list says its stage")
    names = {(r, n) for r, n in nodes}
    check(("entry", "Search models") in names, "no entry named \"Search models\"")
    check(("push button", "New Model") in names, "no button named \"New Model\"")
    check(("push button", "Main Menu") in names, "no button named \"Main Menu\"")
    check(any(r in ("push button", "toggle button") and n.startswith("Filters") for r, n in names),
          "no button named \"Filters\"")
    unnamed = [r for r, n in nodes if r in ("push button", "toggle button", "check box", "entry",
                                             "combo box") and n == ""]
    check(not unnamed, "controls without a name: %s" % unnamed)
    # GTK 4.8 makes the rows of a list or grid view table cells
    rows = [n for r, n in nodes if r == "table cell"]
    check(len(rows) >= 3 and all(rows), "the model list's rows are not all named: %s" % rows[:5])
    log("%d model rows named, e.g. \"%s\"" % (len(rows), rows[0]))

    # The keyboard alone from here on
    windows = wait_for(lambda: subprocess.run(["xdotool", "search", "--pid", str(proc.pid)],
                                              capture_output=True, text=True).stdout.split(), 15)
    check(windows, "no X window for the application")

    def key(*keys, settle=0.3):
        # Focus the window each time: nothing else may take the keys
        for window in windows:
            subprocess.run(["xdotool", "windowfocus", window], capture_output=True, timeout=10)
        subprocess.run(["xdotool", "key", "--delay", "60"] + list(keys), check=True, timeout=30)
        pump(settle)

    def type_text(text):
        subprocess.run(["xdotool", "type", "--delay", "40", text], check=True, timeout=60)
        pump(0.3)

    def focus_after(keys, predicate, seconds=5):
        before = len(focus.events)
        key(*keys)
        return wait_for(lambda: len(focus.events) > before and predicate(*focus.current()[:2]), seconds)

    # Ctrl+N makes a model and puts the focus in its title
    key("ctrl+n", settle=1.0)
    title_entry = wait_for(lambda: next((n for n in walk(app, limit=6000)
                                         if describe(n)[0] == "text" and
                                         describe(n)[1].startswith("Name of the model")), None), 15)
    check(title_entry is not None, "Ctrl+N showed no title entry")
    key("ctrl+a")
    type_text(TITLE)

    def entry_text(node):
        try:
            text = node.queryText()
            return text.getText(0, text.characterCount)
        except Exception:
            return None

    check(wait_for(lambda: entry_text(title_entry) == TITLE, 10),
          "the title entry holds %r, not the typed title" % entry_text(title_entry))

    # Tab to the first section, the short description
    check(focus_after(["Tab"], lambda r, n: r == "text" and n == "Short description"),
          "Tab from the title did not reach \"Short description\" (focus: %s)" % (focus.current()[:2],))
    section = focus.current()[2]
    type_text(SUMMARY)
    check(wait_for(lambda: entry_text(section) == SUMMARY, 10),
          "the section holds %r, not the typed text" % entry_text(section))

    # Tab on to the first stage; entry rows send no focus event in
    # libadwaita 1.2, so a Tab may be silent
    reached = False
    for _ in range(80):
        before = len(focus.events)
        key("Tab", settle=0.05)
        wait_for(lambda: len(focus.events) > before, 1.0)
        role, name = focus.current()[:2]
        if name.startswith("Stage 1 of 6"):
            reached = True
            break
    check(reached, "Tab never reached the first stage (last focus: %s)" % (focus.current()[:2],))
    check(focus.current()[1] == "Stage 1 of 6, Need identified, not started",
          "the stage row says %r" % focus.current()[1])
    stage_row = focus.current()[2]
    log("stage row announced as \"%s\"" % focus.current()[1])

    # Open it, Tab to its state (its row, then the dropdown's button),
    # choose "In progress"
    key("Return", settle=0.8)
    for _ in range(2):
        check(focus_after(["Tab"], lambda r, n: n.startswith("State of stage Need identified")),
              "Tab in the open stage did not reach its state (focus: %s)" % (focus.current()[:2],))
        check(focus.current()[1] == "State of stage Need identified: Not started",
              "the state control says %r" % focus.current()[1])
    check(focus.current()[0] in ("push button", "toggle button"),
          "Tab did not reach the state dropdown (focus: %s)" % (focus.current()[:2],))
    key("space", settle=0.8)
    key("Down", settle=0.3)
    key("Return", settle=0.8)
    check(wait_for(lambda: describe(stage_row)[1] == "Stage 1 of 6, Need identified, in progress", 10),
          "the stage row says %r after choosing In progress" % describe(stage_row)[1])

    # Ctrl+Q quits, saving what was typed
    key("ctrl+q", settle=0.5)
    try:
        status = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        fail("Ctrl+Q did not quit the application")
    check(status == 0, "the application exited with %d" % status)

    listing = subprocess.run([program, "--list"], env=env, capture_output=True, text=True, timeout=60)
    check(listing.returncode == 0, "--list failed: %s" % listing.stderr)
    ids = [line.split("\t")[0] for line in listing.stdout.splitlines()
           if line.split("\t")[1:2] == [TITLE]]
    check(len(ids) == 1, "--list shows %d models titled %r" % (len(ids), TITLE))
    exported = subprocess.run([program, "--export-json", ids[0]], env=env,
                              capture_output=True, text=True, timeout=60)
    check(exported.returncode == 0, "--export-json failed: %s" % exported.stderr)
    model = json.loads(exported.stdout)
    check(model["summary"] == SUMMARY, "the saved summary is %r" % model["summary"])
    stages = {stage["stage"]: stage["state"] for stage in model["stages"]}
    check(stages.get("need") == "in_progress", "the saved first stage is %r" % stages.get("need"))
    log("saved: %r, %r, need = %s" % (model["title"], model["summary"], stages["need"]))


if __name__ == "__main__":
    main()
