// Progressive enhancement only: every page works without this file.
// Theme toggle: follows the OS setting until the reader picks one, then remembers it.
(() => {
  const root = document.documentElement;
  const saved = localStorage.getItem('theme');
  if (saved === 'light' || saved === 'dark') root.dataset.theme = saved;
  document.addEventListener('DOMContentLoaded', () => {
    const button = document.querySelector('.theme-toggle');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', () => {
      const dark = root.dataset.theme
        ? root.dataset.theme === 'dark'
        : window.matchMedia('(prefers-color-scheme: dark)').matches;
      root.dataset.theme = dark ? 'light' : 'dark';
      localStorage.setItem('theme', root.dataset.theme);
    });
  });
})();

// Results as you type: inputs marked data-suggest show the best matching papers in a listbox
// (WAI-ARIA combobox). Without JavaScript the form simply submits to /search.
(() => {
  const DELAY_MS = 150;
  document.addEventListener('DOMContentLoaded', () => {
    for (const input of document.querySelectorAll('input[data-suggest]')) attach(input);
  });

  function attach(input) {
    const list = document.createElement('ul');
    list.id = `${input.id}-suggestions`;
    list.className = 'suggestions';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', 'Matching papers');
    list.hidden = true;
    input.after(list);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', list.id);
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('autocomplete', 'off');
    let timer;
    let pending;
    let active = -1;

    const close = () => {
      list.hidden = true;
      list.replaceChildren();
      active = -1;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    };
    const highlight = (i) => {
      const options = list.querySelectorAll('[role=option]');
      if (options.length === 0) return;
      active = (i + options.length) % options.length;
      for (const [j, o] of options.entries()) o.setAttribute('aria-selected', String(j === active));
      input.setAttribute('aria-activedescendant', options[active].id);
    };

    async function suggest() {
      // Sent with its trailing space: "learn " is a word ended, "learn" one being typed (the server completes it).
      const q = input.value.trimStart();
      if (q.trim().length < 2) return close();
      pending?.abort();
      pending = new AbortController();
      let options;
      try {
        // The server renders the options (titles' math included) and escapes them; see suggestionOptions.
        const res = await fetch(`/search/suggestions?q=${encodeURIComponent(q)}`, { signal: pending.signal });
        if (!res.ok) return close();
        list.innerHTML = await res.text();
        options = list.querySelectorAll('[role=option]');
      } catch {
        return; // aborted by a newer keystroke, or offline: the form still works
      }
      for (const [i, o] of options.entries()) o.id = `${list.id}-${i}`;
      input.removeAttribute('aria-activedescendant');
      active = -1;
      list.hidden = options.length === 0;
      input.setAttribute('aria-expanded', String(options.length > 0));
    }

    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY_MS);
    });
    input.addEventListener('keydown', (e) => {
      if (list.hidden) return;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
      } else if (e.key === 'Enter' && active >= 0) {
        e.preventDefault();
        list.querySelectorAll('[role=option] a')[active].click();
      } else if (e.key === 'Escape') {
        close();
      }
    });
    input.addEventListener('blur', () => setTimeout(close, 200)); // after a click on an option lands
  }
})();

// Upvotes in place: the vote form posts with fetch and the count updates without a page load.
// Without JavaScript the same form posts and the page comes back.
(() => {
  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form[data-vote]')) return;
    e.preventDefault();
    const button = form.querySelector('button');
    button.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin',
      });
      if (!res.ok) {
        form.submit(); // let the server answer with a page (sign in, an error)
        return;
      }
      const r = await res.json();
      // Every control for this paper on the page (a card and the paper header) shows the new state.
      for (const f of document.querySelectorAll(`form[data-vote][action="${CSS.escape(form.getAttribute('action'))}"]`)) {
        const b = f.querySelector('button');
        b.setAttribute('aria-pressed', String(r.voted));
        b.title = r.voted ? 'Remove your upvote' : 'Upvote';
        f.elements.namedItem('on').value = r.voted ? '0' : '1';
        const badge = f.querySelector('.upvotes');
        const label = `${r.upvotes} upvote${r.upvotes === 1 ? '' : 's'}`;
        badge.title = label;
        badge.replaceChildren();
        const arrow = document.createElement('span');
        arrow.setAttribute('aria-hidden', 'true');
        arrow.textContent = '▲';
        const hidden = document.createElement('span');
        hidden.className = 'visually-hidden';
        hidden.textContent = label.slice(String(r.upvotes).length);
        badge.append(arrow, ` ${r.upvotes}`, hidden);
      }
    } catch {
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
})();

// The subscribe form starts in the reader's own time zone (the server cannot know it).
document.addEventListener('DOMContentLoaded', () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  for (const input of document.querySelectorAll('form[data-timezone="guess"] input[name="timeZone"]')) {
    if (zone && !input.dataset.touched) input.value = zone;
  }
});

// "/" anywhere but in a field goes to the search box (the search page's own, else the header's), as on
// most sites with one; the boxes say so to assistive technology (aria-keyshortcuts).
document.addEventListener('keydown', (e) => {
  if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
  const t = e.target;
  if (t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
  const box = document.getElementById('q') ?? document.getElementById('site-q');
  if (!box) return;
  e.preventDefault();
  box.focus();
  box.select();
});

// Menus (details.menu) open without JavaScript; with it, a click elsewhere or Escape closes them.
document.addEventListener('click', (e) => {
  for (const menu of document.querySelectorAll('details.menu[open]')) if (!menu.contains(e.target)) menu.open = false;
});
document.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  for (const menu of document.querySelectorAll('details.menu[open]')) {
    menu.open = false;
    menu.querySelector('summary')?.focus();
  }
});
