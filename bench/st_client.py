"""A Streamlit client without a browser: one WebSocket per simulated user, speaking the protocol
Streamlit's own frontend speaks, so a load test costs the app server what browsers would and
costs this machine almost nothing (asyncio, protobuf parsing, no rendering).

What the frontend does, and this client copies:

* GET /_stcore/health first: the server sets its XSRF cookie (`_streamlit_xsrf`) there (and
  a proxy in front may set its sticky-session cookie); every cookie goes with the WebSocket.
* Open ws(s)://host/_stcore/stream with that cookie (and the app's session cookie once it has
  one), an Origin header of the same host, and Sec-WebSocket-Protocol
  `streamlit, <xsrf cookie value>`: the server checks the second entry against the cookie.
* Send a BackMsg `rerun_script` (a ClientState: the page's script hash, the changed widget
  values as WidgetStates, the browser's locale and time zone) for every interaction; receive
  ForwardMsgs: `new_session` when a run starts (the app's pages with their hashes), `delta`s
  (elements and blocks, each at a delta path), `auto_rerun` (a fragment the browser must rerun
  every few seconds), `script_finished`.
* A widget's id is in its element (`element.<type>.id`, ending in the widget's key). Values go
  back as WidgetState: text and choices as `string_value` (a selectbox or radio sends the
  option as shown), a button click as a one-off `trigger_value`. Values not sent keep what the
  server last had, as a widget the user did not touch does; an element sent with `set_value`
  (the app changed it) drops this client's own value, as the frontend does.
* The app's session cookie is set by a line of the app's own JavaScript (st.html); the client
  reads it from that element instead of running the script.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import ssl
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.util import calc_hash
from websockets.asyncio.client import ClientConnection, connect

XSRF_COOKIE = "_streamlit_xsrf"
SESSION_COOKIE = "repurchase_session"
_COOKIE_LINE = re.compile(r'document\.cookie = "(?P<name>[^=";]+)=(?P<value>[^";]*);')
# ForwardMsg.script_finished values that end a run the user asked for (a fragment's own run
# ends with FINISHED_FRAGMENT_RUN_SUCCESSFULLY, a run cut short by st.rerun with EARLY)
_FULL_RUN_ENDS = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR}


class ProtocolError(RuntimeError):
    """The server closed the connection or did not finish a run in time."""


@dataclass
class Widget:
    id: str
    kind: str  # the Element oneof: "text_input", "button", "selectbox", ...
    key: str  # the app's widget key (the id's tail), "None" for an unkeyed widget
    label: str
    options: list[str]  # a selectbox's or radio's options as shown, else empty


@dataclass
class Page:
    """What the last full run drew: elements by delta path, widgets by key, page hash."""

    page_hash: str = ""
    elements: dict[tuple[int, ...], object] = field(default_factory=dict)
    widgets: dict[str, Widget] = field(default_factory=dict)  # by key

    def texts(self, *kinds: str) -> list[str]:
        """Text of elements of `kinds` (heading, text, markdown, alert, caption...), in order."""
        found = []
        for path in sorted(self.elements):
            element = self.elements[path]
            kind = element.WhichOneof("type")
            if kinds and kind not in kinds:
                continue
            body = getattr(getattr(element, kind), "body", None)
            if isinstance(body, str):
                found.append(body)
        return found

    def alerts(self, level: str) -> list[str]:
        """Bodies of st.error / st.warning / st.info / st.success alerts ("error", ...)."""
        wanted = {"error": 1, "warning": 2, "info": 3, "success": 4}[level]
        return [
            e.alert.body
            for _, e in sorted(self.elements.items())
            if e.WhichOneof("type") == "alert" and e.alert.format == wanted
        ]

    def exceptions(self) -> list[str]:
        return [
            f"{e.exception.type}: {e.exception.message}"
            for e in self.elements.values()
            if e.WhichOneof("type") == "exception"
        ]

    def keyed(self, prefix: str) -> list[Widget]:
        """Widgets whose key starts with `prefix`, in page order."""
        return [w for k, w in self.widgets.items() if k.startswith(prefix)]


@dataclass
class Run:
    """One interaction: from the BackMsg sent to the end of the run it caused."""

    seconds: float
    page: Page


def _widget_of(element) -> Widget | None:
    kind = element.WhichOneof("type")
    if kind is None:
        return None
    proto = getattr(element, kind)
    widget_id = getattr(proto, "id", "")
    if not isinstance(widget_id, str) or not widget_id.startswith("$$ID-"):
        return None
    key = widget_id.split("-", 2)[2] if widget_id.count("-") >= 2 else "None"
    options = list(getattr(proto, "options", []) or [])
    return Widget(widget_id, kind, key, getattr(proto, "label", ""), [str(o) for o in options])


def first_cookies(base_url: str, context: ssl.SSLContext | None = None) -> dict[str, str]:
    """The cookies the server (or the proxy in front: its sticky-session cookie) hands out on
    the health route, which the frontend calls before it opens the WebSocket: among them the
    XSRF cookie."""
    with urllib.request.urlopen(  # noqa: S310 - our own server's URL
        f"{base_url}/_stcore/health", timeout=30, context=context
    ) as answer:
        jar = SimpleCookie()
        for header in answer.headers.get_all("Set-Cookie") or []:
            jar.load(header)
    if XSRF_COOKIE not in jar:
        raise ProtocolError(f"{base_url} set no {XSRF_COOKIE} cookie")
    return {name: morsel.value for name, morsel in jar.items()}


class Client:
    """One browser tab of the app. `await client.open()`, then `await client.goto("customer")`,
    `await client.submit({"login.username": "rep", ...}, "FormSubmit:login.form-...")` ...;
    each returns a Run (how long the server took, what the page shows)."""

    def __init__(
        self,
        base_url: str,
        *,
        locale: str = "en-US",
        local_address: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        run_timeout: float = 120.0,
        auto_reruns: bool = True,
    ):
        self.base_url = base_url.rstrip("/")
        self.locale = locale
        self.local_address = local_address  # e.g. 127.0.0.7: one client address per rep
        self.ssl_context = ssl_context  # https: the context that trusts the server
        self.run_timeout = run_timeout
        self.auto_reruns = auto_reruns  # the app's st.fragment(run_every=...) ticks
        self.cookies: dict[str, str] = {}
        self.pages: dict[str, str] = {}  # url path ("call_list") -> page script hash
        self.page = Page()
        self.fragment_runs = 0
        self.closed: str | None = None  # why the connection ended, once it has
        self._drawing = Page()
        self._values: dict[str, WidgetState] = {}  # widget id -> the value this user set
        self._ws: ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._timers: dict[str, asyncio.Task] = {}
        self._finished: asyncio.Queue[int] = asyncio.Queue()
        self._busy = asyncio.Lock()  # one interaction at a time, as one person clicks

    # ------------------------------------------------------------------ connection

    async def open(self, path: str = "") -> Run:
        """Connect and run the page at `path` ("" is the app's start page)."""
        if XSRF_COOKIE not in self.cookies:
            found = await asyncio.to_thread(first_cookies, self.base_url, self.ssl_context)
            self.cookies.update(found)
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        kwargs = {"local_addr": (self.local_address, 0)} if self.local_address else {}
        if scheme == "wss":
            kwargs["ssl"] = self.ssl_context
        self._ws = await connect(
            f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
            subprotocols=["streamlit", self.cookies[XSRF_COOKIE]],
            origin=f"{parts.scheme}://{parts.netloc}",
            additional_headers={
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items() if v)
            },
            max_size=None,
            open_timeout=self.run_timeout,
            # A browser sends no WebSocket pings (the server pings it); a ping of our own
            # that a busy server answers late would close a tab no browser would lose.
            ping_interval=None,
            **kwargs,
        )
        self.closed = None
        self._reader = asyncio.create_task(self._read())
        return await self._rerun(page_name=path)

    async def close(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # ------------------------------------------------------------------ interactions

    async def goto(self, page: str) -> Run:
        """Open one of the app's pages by its url path, as a click in the menu does."""
        # The menu lists the role's default page under "" (the root URL); Streamlit hashes a
        # page by the url_path it was declared with, so its hash is known all the same.
        return await self._rerun(page_hash=self.pages.get(page) or calc_hash(page))

    def set(self, key: str, value: str | float | int | list[str]) -> None:
        """Change the widget with `key` on the current page (sent with the next interaction)."""
        widget = self.widget(key)
        state = WidgetState(id=widget.id)
        if isinstance(value, list):
            state.string_array_value.data.extend(value)
        elif isinstance(value, str):
            state.string_value = value
        elif isinstance(value, int) and widget.kind != "number_input":
            state.int_value = value
        else:
            state.double_value = float(value)
        self._values[widget.id] = state

    async def click(self, key: str) -> Run:
        """Click the button (or form submit button) with `key`."""
        widget = self.widget(key)
        return await self._rerun(
            page_hash=self.page.page_hash, extra=[WidgetState(id=widget.id, trigger_value=True)]
        )

    def widget(self, key: str) -> Widget:
        found = self.page.widgets.get(key)
        if found is None:
            raise ProtocolError(f"no widget {key!r} on the page: {sorted(self.page.widgets)}")
        return found

    # ------------------------------------------------------------------ the protocol

    def _client_state(self, back: BackMsg, page_hash: str, page_name: str) -> None:
        state = back.rerun_script
        state.page_script_hash = page_hash
        state.page_name = page_name
        state.context_info.locale = self.locale
        state.context_info.timezone = "UTC"
        state.context_info.timezone_offset = 0
        state.context_info.url = f"{self.base_url}/{page_name}"
        mounted = {w.id for w in self.page.widgets.values()}
        for widget_id, value in self._values.items():
            if widget_id in mounted:
                state.widget_states.widgets.append(value)

    async def _rerun(
        self, page_hash: str = "", page_name: str = "", extra: list[WidgetState] = ()
    ) -> Run:
        async with self._busy:
            if self._ws is None or self.closed is not None:
                raise ProtocolError(f"not connected: {self.closed}")
            if page_hash != self.page.page_hash:
                self._stop_timers()  # a new page: the old page's fragments are gone
            back = BackMsg()
            self._client_state(back, page_hash, page_name)
            back.rerun_script.widget_states.widgets.extend(extra)
            while not self._finished.empty():
                self._finished.get_nowait()
            started = time.perf_counter()
            await self._ws.send(back.SerializeToString())
            try:
                await asyncio.wait_for(self._finished.get(), self.run_timeout)
            except TimeoutError:
                raise ProtocolError(f"no end of run within {self.run_timeout:g} s") from None
            if self.closed is not None:
                raise ProtocolError(f"connection closed: {self.closed}")
            return Run(time.perf_counter() - started, self.page)

    async def _read(self) -> None:
        try:
            async for data in self._ws:
                msg = ForwardMsg()
                msg.ParseFromString(data)
                self._apply(msg)
        except Exception as exc:  # noqa: BLE001 - any end of the stream ends this tab
            self.closed = f"{type(exc).__name__}: {exc}"
        else:
            self.closed = "closed by the server"
        self._finished.put_nowait(-1)  # wake a waiting interaction

    def _apply(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        fragment = bool(msg.metadata.run.fragment_ids)
        if kind == "navigation":  # st.navigation's pages, by their url_path
            for app_page in msg.navigation.app_pages:
                self.pages[app_page.url_pathname] = app_page.page_script_hash
        elif kind == "new_session":
            if not fragment:
                self._drawing = Page(page_hash=msg.new_session.page_script_hash)
        elif kind == "delta":
            self._delta(msg)
        elif kind == "auto_rerun" and self.auto_reruns:
            self._schedule(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                timer = self._timers.pop(fragment_id, None)
                if timer is not None:
                    timer.cancel()
        elif kind == "script_finished":
            if msg.script_finished in _FULL_RUN_ENDS:
                self.page = self._drawing
                self._finished.put_nowait(msg.script_finished)
            elif msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY:
                self.fragment_runs += 1

    def _delta(self, msg: ForwardMsg) -> None:
        # A full run draws into a new Page, shown once it finishes; a fragment's run (only
        # between full runs, when the drawn page is the shown one) redraws part of it.
        page = self._drawing
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        page.elements[tuple(msg.metadata.delta_path)] = element
        widget = _widget_of(element)
        if widget is not None:
            page.widgets[widget.key] = widget
            proto = getattr(element, widget.kind)
            if getattr(proto, "set_value", False):
                self._values.pop(widget.id, None)  # the app set it: the server's value wins
        if element.WhichOneof("type") == "html":
            for found in _COOKIE_LINE.finditer(element.html.body):
                self.cookies[found["name"]] = found["value"]

    # ------------------------------------------------------------------ fragments

    def _schedule(self, fragment_id: str, interval: float) -> None:
        old = self._timers.pop(fragment_id, None)
        if old is not None:
            old.cancel()
        self._timers[fragment_id] = asyncio.create_task(self._tick(fragment_id, interval))

    def _stop_timers(self) -> None:
        for timer in self._timers.values():
            timer.cancel()
        self._timers.clear()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """Rerun the fragment every `interval` s, as the browser's timer does; a tick that
        falls while the user's own run is going is skipped (that run redraws it anyway)."""
        while self.closed is None:
            await asyncio.sleep(interval)
            if self._busy.locked() or self._ws is None:
                continue
            back = BackMsg()
            self._client_state(back, self.page.page_hash, "")
            back.rerun_script.fragment_id = fragment_id
            back.rerun_script.is_auto_rerun = True
            with contextlib.suppress(Exception):
                await self._ws.send(back.SerializeToString())
