// The demo page: draws what /demo/render returns, sends clicks and forms to /demo/action,
// and waits on /demo/wait for the workspace to change. No libraries, nothing fetched elsewhere.
"use strict";

const S = { as: "", c: "", tab: "messages", thread: "", v: 0, modalKey: "", busy: 0 };
const $ = (id) => document.getElementById(id);

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  S.as = p.get("as") || S.as;
  S.c = p.get("c") || S.c;
  S.tab = p.get("tab") || S.tab;
  S.thread = p.get("thread") || "";
}

function writeHash() {
  const p = new URLSearchParams({ as: S.as, c: S.c, tab: S.tab });
  if (S.thread) p.set("thread", S.thread);
  history.replaceState(null, "", "#" + p.toString());
}

// renders can overlap (the watch loop, an action, switching person): only the one asked for
// last is drawn, so an older answer never puts back a person or a conversation just left
let lastRender = 0;

async function render() {
  const mine = ++lastRender;
  const q = new URLSearchParams({ as: S.as, c: S.c, tab: S.tab, thread: S.thread });
  const r = await fetch("/demo/render?" + q.toString());
  if (!r.ok || mine !== lastRender) return;
  const d = await r.json();
  if (mine !== lastRender) return;
  const switched = d.conversation !== S.c || d.tab !== S.tab || d.viewer !== S.as;
  S.as = d.viewer; S.c = d.conversation; S.tab = d.tab; S.thread = d.thread; S.v = d.version;
  writeHash();
  const scroll = $("scroll");
  const atBottom = !scroll || scroll.scrollHeight - scroll.scrollTop - scroll.clientHeight < 80;
  // what is being typed survives a redraw: the text, and the focus and caret if typing
  const box = $("composer-text");
  const draft = box ? box.value : "";
  const typing = box !== null && document.activeElement === box;
  const caret = typing ? [box.selectionStart, box.selectionEnd] : null;
  $("top").innerHTML = d.top;
  $("sidebar").innerHTML = d.sidebar;
  $("main").innerHTML = d.main;
  const again = $("composer-text");
  if (again && !switched) {
    again.value = draft;
    if (caret) { again.focus(); again.setSelectionRange(caret[0], caret[1]); }
  }
  const s2 = $("scroll");
  if (s2 && (atBottom || switched)) s2.scrollTop = s2.scrollHeight;
  $("thread").hidden = !d.thread_html;
  $("thread").innerHTML = d.thread_html;
  const ts = $("thread").querySelector(".thread-scroll");
  if (ts) ts.scrollTop = ts.scrollHeight;
  // images arrive after the layout: keep the bottom in view as they load
  [[ts, true], [s2, atBottom || switched]].forEach(([box, stick]) => {
    if (!box || !stick) return;
    box.querySelectorAll("img").forEach((img) => {
      if (!img.complete) img.addEventListener("load", () => { box.scrollTop = box.scrollHeight; });
    });
  });
  $("activity").innerHTML = d.activity;
  if (d.modal_key !== S.modalKey) {
    S.modalKey = d.modal_key;
    $("modal-box").innerHTML = d.modal;
    $("overlay").hidden = !d.modal;
    const first = $("modal-box").querySelector("input, textarea, select");
    if (first) first.focus();
  }
}

async function watch() {
  for (;;) {
    try {
      const r = await fetch("/demo/wait?v=" + S.v);
      const d = await r.json();
      if (d.version !== S.v) await render();
    } catch (e) {
      await new Promise((ok) => setTimeout(ok, 1500));
    }
  }
}

function toast(text, bad) {
  const t = $("toast");
  t.textContent = text;
  t.className = "toast" + (bad ? " bad" : "");
  t.hidden = !text;
  clearTimeout(toast.timer);
  if (text) toast.timer = setTimeout(() => { t.hidden = true; }, bad ? 9000 : 6000);
}

async function act(body) {
  body.as = S.as;
  S.busy++;
  $("busy").hidden = false;
  try {
    const r = await fetch("/demo/action", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const d = await r.json();
    if (d.note) toast(d.note, !d.ok);
    else if (d.error) toast(d.error, true);
    return d;
  } finally {
    S.busy--;
    $("busy").hidden = S.busy === 0;
    await render();
  }
}

// the value of one control, as the server expects it (a string, or a list of strings)
function valueOf(el) {
  const type = el.dataset.type;
  if (el.classList.contains("bk-choices")) {
    const on = [...el.querySelectorAll("input:checked")].map((i) => i.value);
    return type === "checkboxes" ? on : (on[0] || null);
  }
  if (el.tagName === "SELECT" && el.multiple) return [...el.selectedOptions].map((o) => o.value);
  if (type === "button" || type === "overflow") return el.dataset.value || null;
  return el.value === "" ? null : el.value;
}

function formOf(root) {
  const form = {};
  root.querySelectorAll(".bk-el").forEach((el) => {
    const t = el.dataset.type;
    if (!t || t === "button" || t === "overflow") return;
    (form[el.dataset.blockId] = form[el.dataset.blockId] || {})[el.dataset.actionId] = valueOf(el);
  });
  return form;
}

function elementAction(el) {
  if (el.dataset.confirm && !confirm(el.dataset.confirm)) return;
  const base = { block_id: el.dataset.blockId, action_id: el.dataset.actionId, value: valueOf(el) };
  const view = el.closest("[data-view-id]");
  if (view) {
    return act({ kind: "view_action", view_id: view.dataset.viewId, form: formOf(view), ...base });
  }
  const msg = el.closest("[data-ts]");
  if (msg) return act({ kind: "click", channel: msg.dataset.channel, ts: msg.dataset.ts, ...base });
}

document.addEventListener("click", (ev) => {
  const t = ev.target.closest("button, [data-fill]");
  if (!t) return;
  if (t.dataset.nav) {
    S.c = t.dataset.nav; S.thread = "";
    if (S.tab === "home" && !t.textContent.includes("rolesplit")) S.tab = "messages";
    render();
  } else if (t.dataset.tab) {
    S.tab = t.dataset.tab; S.thread = "";
    if (S.tab === "home") act({ kind: "home" }); else render();
  } else if (t.dataset.thread) {
    S.thread = t.dataset.thread; render();
  } else if (t.dataset.closeThread) {
    S.thread = ""; render();
  } else if (t.dataset.clock) {
    act({ kind: "clock", to: t.dataset.clock });
  } else if (t.dataset.fill) {
    const box = $("composer-text");
    if (!box || S.tab === "home") { S.tab = "messages"; render().then(() => fill(t.dataset.fill)); }
    else fill(t.dataset.fill);
  } else if (t.dataset.submit) {
    const modal = t.closest("[data-view-id]");
    act({ kind: "submit", view_id: modal.dataset.viewId, form: formOf(modal) });
  } else if (t.dataset.dismiss) {
    act({ kind: "close", view_id: t.closest("[data-view-id]").dataset.viewId });
  } else if (t.dataset.status) {
    act({ kind: "status" });
  } else if (t.dataset.hood) {
    $("hood").hidden = !$("hood").hidden;
  } else if (t.dataset.crm) {
    act({ kind: "crm" });
  } else if (t.classList.contains("bk-el")) {
    const menu = t.closest("details");
    if (menu) menu.open = false;
    elementAction(t);
  }
});

function fill(text) {
  const box = $("composer-text");
  if (!box) return;
  box.value = text;
  box.focus();
}

document.addEventListener("change", (ev) => {
  const t = ev.target;
  if (t.id === "you-are") {
    S.as = t.value; S.c = ""; S.tab = "messages"; S.thread = ""; S.modalKey = "?";
    render();
    return;
  }
  const el = t.closest(".bk-el");
  if (!el) return;
  const input = el.closest(".bk-input");
  if (input && !input.dataset.dispatch) return; // typed into a form: read on submit
  elementAction(el);
});

document.addEventListener("submit", (ev) => {
  if (ev.target.id !== "composer") return;
  ev.preventDefault();
  const box = $("composer-text");
  const text = box.value.trim();
  if (!text) return;
  box.value = "";
  act({ kind: "send", channel: S.c, text });
});

document.addEventListener("keydown", (ev) => {
  if (ev.target.id === "composer-text" && ev.key === "Enter" && !ev.shiftKey) {
    ev.preventDefault();
    $("composer").requestSubmit();
  }
  if (ev.key === "Escape" && !$("overlay").hidden) {
    const modal = $("modal-box").querySelector("[data-view-id]");
    if (modal) act({ kind: "close", view_id: modal.dataset.viewId });
  }
});

window.addEventListener("hashchange", () => { readHash(); render(); });
readHash();
render().then(() => {
  if (S.tab === "home") act({ kind: "home" });
  watch();
});
