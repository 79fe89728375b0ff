// Tenancy tenant-health dashboard: plain JavaScript, no build step, no third-party code.
// Reads the admin API (HTTP-API.md) with a platform-admin bearer token kept in sessionStorage (this tab only).
// Every value from the API reaches the page through textContent or a CSSOM property, never through innerHTML.
(() => {
  'use strict';

  const API = document.querySelector('meta[name="tenancy-api-base"]').content;
  const POLL_MS = Math.max(1000, Number(document.querySelector('meta[name="tenancy-poll-ms"]').content) || 3000);
  const TOKEN_KEY = 'tenancy.dashboard.token';
  const SOFT_PCT = 80;
  const HARD_PCT = 90;
  const USAGE_MS = Math.max(POLL_MS, 15000);
  // Recorded by the admin API as the reason of every call this page makes.
  const REASON = 'tenant dashboard';

  const $ = (id) => document.getElementById(id);
  const state = {
    tenants: [],
    usage: new Map(),
    usageAt: new Map(),
    metrics: new Map(),
    alerts: [],
    health: null,
    seenAlerts: new Set(),
    firstAlertLoad: true,
    rows: new Map(),
    busy: new Set(),
    timer: null,
    generation: 0,
  };

  // ---- API ---------------------------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, problem) {
      super((problem && problem.title) || 'Request failed');
      this.status = status;
      this.problem = problem || {};
    }
  }

  function token() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(TOKEN_KEY) || 'null');
      if (saved && saved.accessToken && (!saved.expiresAt || saved.expiresAt > Date.now())) return saved.accessToken;
    } catch (e) { /* a damaged entry is the same as none */ }
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }

  async function api(method, path, body) {
    const headers = { Accept: 'application/json, application/problem+json', 'X-Access-Reason': REASON };
    const bearer = token();
    if (bearer) headers.Authorization = 'Bearer ' + bearer;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(API + path, {
        method, headers, cache: 'no-store', credentials: 'same-origin',
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new ApiError(0, { title: 'The admin API cannot be reached', detail: 'Check the network or the server; retrying.' });
    }
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch (e) { json = null; }
    }
    if (!response.ok) {
      const problem = json && typeof json === 'object' ? json : {};
      if (!problem.title) problem.title = response.statusText || ('HTTP ' + response.status);
      throw new ApiError(response.status, problem);
    }
    return json;
  }

  const items = (json) => (Array.isArray(json) ? json : (json && Array.isArray(json.items) ? json.items : []));
  const num = (v) => (typeof v === 'number' && isFinite(v) ? v : (typeof v === 'string' && v !== '' && isFinite(+v) ? +v : null));
  const pick = (obj, ...names) => {
    for (const n of names) if (obj && obj[n] !== undefined && obj[n] !== null) return obj[n];
    return undefined;
  };
  // Metrics and alerts name their tenant by id, by {id, slug} or by slug; all three find the row.
  function tenantKey(entry) {
    const t = pick(entry, 'tenant', 'tenantId', 'tenantSlug');
    if (t && typeof t === 'object') return String(t.id || t.slug || '');
    return t === undefined ? '' : String(t);
  }
  function findTenant(key) {
    if (!key) return null;
    return state.tenants.find((t) => t.id === key || t.slug === key) || null;
  }

  // ---- sign-in -----------------------------------------------------------------------------------------------

  async function signIn(event) {
    event.preventDefault();
    const input = $('api-key');
    const submit = $('signin-submit');
    $('signin-error').textContent = '';
    if (!input.value.trim()) {
      $('signin-error').textContent = 'Enter the platform admin API key.';
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      sessionStorage.removeItem(TOKEN_KEY);
      const answer = await api('POST', '/auth/token', { apiKey: input.value.trim() });
      const expiresIn = num(answer && answer.expiresIn);
      sessionStorage.setItem(TOKEN_KEY, JSON.stringify({
        accessToken: answer.accessToken,
        expiresAt: expiresIn ? Date.now() + expiresIn * 1000 - 5000 : null,
      }));
      input.value = '';
      hideProblem();
      showDashboard();
    } catch (e) {
      $('signin-error').textContent = describe(e);
      input.select();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    state.generation++;
    clearTimeout(state.timer);
    state.rows.clear();
    state.usage.clear();
    state.usageAt.clear();
    $('tenant-rows').replaceChildren();
    $('alert-list').replaceChildren();
    state.seenAlerts.clear();
    state.firstAlertLoad = true;
    $('dashboard-view').hidden = true;
    $('session-bar').hidden = true;
    $('signin-view').hidden = false;
    $('signin-error').textContent = message || '';
    $('api-key').focus();
  }

  function showDashboard() {
    $('signin-view').hidden = true;
    $('dashboard-view').hidden = false;
    $('session-bar').hidden = false;
    setLive('connecting', 'Connecting…');
    const generation = ++state.generation;
    poll(generation);
  }

  // ---- polling -----------------------------------------------------------------------------------------------

  async function poll(generation) {
    if (generation !== state.generation) return;
    if (!document.hidden) {
      try {
        await refresh();
        if (generation !== state.generation) return;
        setLive('ok', 'Live · updated ' + new Date().toLocaleTimeString());
      } catch (e) {
        if (generation !== state.generation) return;
        if (e instanceof ApiError && e.status === 401) {
          signOut('Your session has ended. Sign in again.');
          return;
        }
        setLive('error', 'Reconnecting…');
        showProblem(e, 'poll');
      }
    }
    state.timer = setTimeout(() => poll(generation), POLL_MS);
  }

  async function refresh() {
    // One page of 100; with more tenants the filter box searches them all through the API's q parameter.
    const q = $('tenant-filter').value.trim();
    const page = await api('GET', '/admin/tenants?size=100' + (q ? '&q=' + encodeURIComponent(q) : ''));
    state.tenants = items(page).filter((t) => t && t.id);
    state.total = num(page && page.total);
    state.filtered = q !== '';
    // Every admin call is audited against its tenant, so per-tenant usage (storage and users move slowly) is read
    // every USAGE_MS, and for tenants not seen yet; API calls stay live through the metrics' quota figures.
    const now = Date.now();
    const usageDue = state.tenants.filter((t) => !state.usage.has(t.id) || now - (state.usageAt.get(t.id) || 0) >= USAGE_MS);
    const count = (status) => api('GET', '/admin/tenants?size=1&status=' + status).then((p) => num(p && p.total));
    const [metrics, alerts, health, active, trial, suspended, ...usages] = await Promise.allSettled([
      api('GET', '/admin/metrics'),
      api('GET', '/admin/alerts'),
      api('GET', '/admin/health'),
      // The summary counts every tenant, not only the page shown: three one-row queries for their totals.
      count('ACTIVE'), count('TRIAL'), count('SUSPENDED'),
      ...usageDue.map((t) => api('GET', '/admin/tenants/' + encodeURIComponent(t.id) + '/usage')),
    ]);
    for (const r of [metrics, alerts, health, ...usages]) {
      if (r.status === 'rejected' && r.reason instanceof ApiError && r.reason.status === 401) throw r.reason;
    }
    if (metrics.status === 'fulfilled') {
      state.metrics = new Map();
      for (const m of items(metrics.value)) {
        const t = findTenant(tenantKey(m));
        if (t) state.metrics.set(t.id, m);
      }
    }
    if (alerts.status === 'fulfilled') state.alerts = items(alerts.value);
    state.health = health.status === 'fulfilled' ? health.value : null;
    const total = (r) => (r.status === 'fulfilled' ? r.value : null);
    state.counts = total(active) === null || total(suspended) === null ? null
      : { active: total(active) + (total(trial) || 0), suspended: total(suspended) };
    usageDue.forEach((t, i) => {
      if (usages[i].status === 'fulfilled') {
        state.usage.set(t.id, usages[i].value);
        state.usageAt.set(t.id, now);
      }
    });
    const shown = new Set(state.tenants.map((t) => t.id));
    for (const id of [...state.usage.keys()]) if (!shown.has(id)) { state.usage.delete(id); state.usageAt.delete(id); }
    render();
    const failed = [metrics, alerts].find((r) => r.status === 'rejected');
    // A polling problem clears itself once polling works again; an action's problem stays until dismissed.
    if (failed) showProblem(failed.reason, 'poll');
    else if (state.problemFrom === 'poll') hideProblem();
  }

  // ---- rendering ---------------------------------------------------------------------------------------------

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function chip(value, kind) {
    const v = String(value || 'UNKNOWN').toUpperCase();
    const c = el('span', 'chip chip-' + (kind || 'status') + ' chip-' + v.toLowerCase(), titleCase(v));
    return c;
  }
  const titleCase = (s) => s.charAt(0) + s.slice(1).toLowerCase();

  const formatCount = (n) => (n === null ? '–' : new Intl.NumberFormat().format(n));
  // Usage captions stay on one line in a table cell: 182.4K rather than 182,400.
  const COMPACT = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  const formatCompact = (n) => (n === null ? '–' : (Math.abs(n) < 10000 ? formatCount(n) : COMPACT.format(n)));
  const KIND_LABELS = { QUOTA: 'Quota', SLA: 'SLA', SECURITY: 'Security' };
  function formatBytes(n) {
    if (n === null) return '–';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    let v = n;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(v < 10 ? 1 : 0)) + ' ' + units[i];
  }

  function level(pct) {
    if (pct === null) return 'none';
    if (pct >= 100) return 'over';
    if (pct >= HARD_PCT) return 'high';
    if (pct >= SOFT_PCT) return 'warn';
    return 'ok';
  }

  // A usage bar: role=meter with its numbers for screen readers, the fill sized through the CSSOM (CSP-safe).
  function usageBar(label, counter, format) {
    const used = num(pick(counter, 'used', 'current', 'value'));
    const limit = num(pick(counter, 'limit', 'max'));
    const wrap = el('div', 'usage');
    if (used === null && limit === null) {
      wrap.append(el('span', 'muted', '–'));
      return wrap;
    }
    const pct = limit && limit > 0 && used !== null ? (used / limit) * 100 : null;
    // Both sides of "used / limit" in one notation: 8.2K / 10K, not 8,200 / 10K.
    if (format === formatCompact && limit !== null && Math.abs(limit) >= 10000) format = (n) => (n === null ? '–' : COMPACT.format(n));
    const bar = el('div', 'bar bar-' + level(pct));
    bar.setAttribute('role', 'meter');
    bar.setAttribute('aria-label', label);
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', String(limit && limit > 0 ? limit : Math.max(used || 0, 1)));
    bar.setAttribute('aria-valuenow', String(used || 0));
    const exact = format === formatBytes ? formatBytes : formatCount;
    const text = exact(used) + (limit && limit > 0 ? ' of ' + exact(limit) : ', no limit');
    bar.setAttribute('aria-valuetext', text + (pct !== null ? ' (' + Math.round(pct) + ' %)' : ''));
    if (pct !== null) bar.dataset.pct = String(Math.round(pct));
    const fill = el('div', 'bar-fill');
    fill.style.width = (pct === null ? 0 : Math.min(100, pct)) + '%';
    bar.append(fill);
    const caption = el('div', 'usage-caption');
    caption.append(el('span', '', format(used) + (limit && limit > 0 ? ' / ' + format(limit) : '')));
    caption.append(el('span', 'usage-pct', pct === null ? 'no limit' : Math.round(pct) + '%'));
    wrap.append(bar, caption);
    return wrap;
  }

  function latencyCell(metric) {
    const p95 = num(pick(metric, 'p95Ms', 'p95'));
    const target = num(pick(metric, 'slaP95TargetMs', 'slaTargetMs', 'slaP95Ms'));
    const wrap = el('div', 'latency');
    if (p95 === null) {
      wrap.append(el('span', 'muted', '–'));
      return wrap;
    }
    const breached = target !== null && p95 > target;
    const value = el('span', 'latency-value ' + (breached ? 'latency-breach' : 'latency-ok'), Math.round(p95) + ' ms');
    wrap.append(value);
    if (target !== null) {
      wrap.append(el('span', 'latency-target', '/ ' + Math.round(target) + ' ms'));
      wrap.setAttribute('aria-label', 'p95 ' + Math.round(p95) + ' ms, SLA target ' + Math.round(target) + ' ms'
        + (breached ? ', breached' : ', within target'));
    }
    return wrap;
  }

  function openAlertsFor(tenant) {
    return state.alerts.filter((a) => {
      const key = tenantKey(a);
      return key && (key === tenant.id || key === tenant.slug);
    });
  }

  function render() {
    const tenants = state.tenants;
    const filter = $('tenant-filter').value.trim().toLowerCase();
    // The total of the unfiltered list; while a filter is typed, keep the last one rather than the match count.
    if (!state.filtered) state.allTenants = state.total !== null && state.total !== undefined ? state.total : tenants.length;
    $('stat-tenants').textContent = formatCount(state.allTenants === undefined ? null : state.allTenants);
    const counts = state.counts || (state.filtered ? null : {
      active: tenants.filter((t) => t.status === 'ACTIVE' || t.status === 'TRIAL').length,
      suspended: tenants.filter((t) => t.status === 'SUSPENDED').length,
    });
    if (counts) {
      $('stat-active').textContent = formatCount(counts.active);
      $('stat-suspended').textContent = formatCount(counts.suspended);
    }
    $('stat-alerts').textContent = formatCount(state.alerts.length);
    const health = $('stat-health');
    health.replaceChildren(state.health && state.health.status ? chip(state.health.status, 'health') : el('span', 'muted', '–'));

    const body = $('tenant-rows');
    const seen = new Set();
    const visible = tenants.filter((t) => !filter
      || String(t.displayName || '').toLowerCase().includes(filter) || String(t.slug || '').toLowerCase().includes(filter));
    visible.forEach((tenant, index) => {
      seen.add(tenant.id);
      let row = state.rows.get(tenant.id);
      if (!row) {
        row = createRow(tenant);
        state.rows.set(tenant.id, row);
      }
      updateRow(row, tenant);
      // Keep rows in API order without recreating them, so a focused button keeps its focus across updates.
      if (body.children[index] !== row) body.insertBefore(row, body.children[index] || null);
    });
    for (const [id, row] of state.rows) {
      if (!seen.has(id)) { row.remove(); if (!tenants.some((t) => t.id === id)) state.rows.delete(id); }
    }
    $('tenants-empty').hidden = visible.length > 0;
    $('tenants-empty').textContent = tenants.length ? 'No tenant matches the filter.' : 'No tenants yet.';
    renderAlerts();
  }

  const COLUMNS = ['tenant', 'status', 'tier', 'api', 'storage', 'users', 'p95', 'throttled', 'alerts', 'actions'];
  const LABELS = ['Tenant', 'Status', 'Tier', 'API calls', 'Storage', 'Users', 'p95 / SLA', 'Throttled', 'Alerts', ''];

  function createRow(tenant) {
    const row = el('tr');
    row.dataset.tenantId = tenant.id;
    row.dataset.tenantSlug = tenant.slug || '';
    COLUMNS.forEach((name, i) => {
      const cell = el(i === 0 ? 'th' : 'td', 'col-' + name);
      if (i === 0) cell.setAttribute('scope', 'row');
      if (LABELS[i]) cell.dataset.label = LABELS[i];
      row.append(cell);
    });
    const button = el('button', 'btn btn-small');
    button.type = 'button';
    button.addEventListener('click', () => toggleStatus(row.dataset.tenantId));
    row.lastChild.append(button);
    return row;
  }

  function updateRow(row, tenant) {
    const cells = row.children;
    const usage = state.usage.get(tenant.id) || {};
    const metric = state.metrics.get(tenant.id) || {};
    const alerts = openAlertsFor(tenant);
    const name = tenant.displayName || tenant.slug || tenant.id;

    const who = el('div', 'tenant-name');
    who.append(el('span', 'tenant-display', name), el('span', 'tenant-slug', tenant.slug || tenant.id));
    cells[0].replaceChildren(who);
    cells[1].replaceChildren(chip(tenant.status));
    cells[2].replaceChildren(el('span', 'tier', tenant.tier || (tenant.configuration && tenant.configuration.tier) || '–'));
    const liveCalls = metric.quota && metric.quota.apiCalls ? metric.quota.apiCalls : usage.apiCalls;
    cells[3].replaceChildren(usageBar('API calls this period for ' + name, liveCalls, formatCompact));
    cells[4].replaceChildren(usageBar('Storage for ' + name, usage.storageBytes, formatBytes));
    cells[5].replaceChildren(usageBar('Concurrent users for ' + name, usage.concurrentUsers, formatCompact));
    cells[6].replaceChildren(latencyCell(metric));
    const throttled = num(pick(metric, 'throttled', 'throttledCount'));
    cells[7].replaceChildren(el('span', throttled ? 'count count-warn' : 'count muted', formatCount(throttled === null ? 0 : throttled)));
    cells[8].replaceChildren(alerts.length
      ? el('span', 'count count-alert', alerts.length)
      : el('span', 'count muted', '0'));
    cells[8].setAttribute('aria-label', alerts.length + ' open alerts');

    const button = cells[9].firstChild;
    const suspended = tenant.status === 'SUSPENDED';
    const canToggle = suspended || tenant.status === 'ACTIVE' || tenant.status === 'TRIAL';
    button.hidden = !canToggle;
    button.disabled = state.busy.has(tenant.id);
    button.textContent = state.busy.has(tenant.id) ? (suspended ? 'Activating…' : 'Suspending…') : (suspended ? 'Activate' : 'Suspend');
    button.className = 'btn btn-small ' + (suspended ? 'btn-positive' : 'btn-danger');
    button.dataset.action = suspended ? 'activate' : 'suspend';
    button.setAttribute('aria-label', (suspended ? 'Activate ' : 'Suspend ') + name);
    row.classList.toggle('is-suspended', suspended);
    row.classList.toggle('has-alerts', alerts.length > 0);
  }

  function renderAlerts() {
    const list = $('alert-list');
    const alerts = state.alerts.slice().sort((a, b) => String(b.raisedAt || '').localeCompare(String(a.raisedAt || '')));
    const nodes = alerts.map((alert) => {
      const id = String(alert.id || (tenantKey(alert) + '|' + alert.kind + '|' + alert.message));
      const item = el('li', 'alert alert-' + String(alert.severity || 'info').toLowerCase());
      item.dataset.alertId = id;
      item.dataset.kind = String(alert.kind || '');
      const tenant = findTenant(tenantKey(alert));
      item.dataset.tenant = tenant ? tenant.slug || tenant.id : tenantKey(alert) || 'platform';
      if (!state.firstAlertLoad && !state.seenAlerts.has(id)) item.classList.add('alert-new');
      state.seenAlerts.add(id);
      const head = el('div', 'alert-head');
      head.append(chip(alert.severity || 'INFO', 'severity'), el('span', 'alert-kind', KIND_LABELS[alert.kind] || titleCase(String(alert.kind || 'Alert'))));
      head.append(el('span', 'alert-tenant', tenant ? (tenant.displayName || tenant.slug) : (tenantKey(alert) || 'Platform')));
      const when = el('time', 'alert-time', relativeTime(alert.raisedAt));
      if (alert.raisedAt) when.dateTime = alert.raisedAt;
      head.append(when);
      item.append(head, el('p', 'alert-message', alert.message || ''));
      return item;
    });
    list.replaceChildren(...nodes);
    state.firstAlertLoad = false;
    $('alerts-empty').hidden = alerts.length > 0;
  }

  function relativeTime(iso) {
    const t = Date.parse(iso);
    if (!isFinite(t)) return '';
    const s = Math.max(0, Math.round((Date.now() - t) / 1000));
    if (s < 60) return 'just now';
    if (s < 3600) return Math.round(s / 60) + ' min ago';
    if (s < 86400) return Math.round(s / 3600) + ' h ago';
    return new Date(t).toLocaleDateString();
  }

  // ---- actions -----------------------------------------------------------------------------------------------

  async function toggleStatus(id) {
    const tenant = state.tenants.find((t) => t.id === id);
    if (!tenant || state.busy.has(id)) return;
    const target = tenant.status === 'SUSPENDED' ? 'ACTIVE' : 'SUSPENDED';
    state.busy.add(id);
    render();
    try {
      const updated = await api('PUT', '/admin/tenants/' + encodeURIComponent(id), { status: target });
      const before = tenant.status;
      Object.assign(tenant, updated && updated.id ? updated : { status: target });
      if (state.counts && before !== tenant.status) {
        const serving = (st) => st === 'ACTIVE' || st === 'TRIAL';
        state.counts.active += (serving(tenant.status) ? 1 : 0) - (serving(before) ? 1 : 0);
        state.counts.suspended += (tenant.status === 'SUSPENDED' ? 1 : 0) - (before === 'SUSPENDED' ? 1 : 0);
      }
      hideProblem();
      toast((tenant.displayName || tenant.slug) + (target === 'SUSPENDED' ? ' suspended' : ' activated'));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { signOut('Your session has ended. Sign in again.'); return; }
      showProblem(e);
    } finally {
      state.busy.delete(id);
      if (state.rows.size) render();
    }
  }

  // ---- messages ----------------------------------------------------------------------------------------------

  function describe(e) {
    const p = (e && e.problem) || {};
    return [p.title || (e && e.message) || 'Something went wrong', p.detail].filter(Boolean).join(' — ');
  }

  function showProblem(e, from) {
    state.problemFrom = from || 'action';
    const p = (e && e.problem) || {};
    $('problem-title').textContent = p.title || (e && e.message) || 'Something went wrong';
    $('problem-detail').textContent = p.detail || '';
    $('problem').hidden = false;
  }

  function hideProblem() {
    state.problemFrom = null;
    $('problem').hidden = true;
  }

  function setLive(kind, text) {
    $('live').className = 'live live-' + kind;
    $('live-text').textContent = text;
  }

  let toastTimer = null;
  function toast(message) {
    const t = $('toast');
    t.textContent = message;
    t.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.hidden = true; }, 3500);
  }

  // ---- start -------------------------------------------------------------------------------------------------

  $('signin-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut(''));
  $('problem-close').addEventListener('click', hideProblem);
  // Filter at once on what is loaded, then ask the API (debounced) so tenants beyond the first page are found too.
  let filterTimer = null;
  $('tenant-filter').addEventListener('input', () => {
    render();
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      if ($('dashboard-view').hidden) return;
      clearTimeout(state.timer);
      poll(++state.generation);
    }, 300);
  });
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !$('dashboard-view').hidden) {
      // A new generation retires the loop that was waiting, so two loops never poll side by side.
      clearTimeout(state.timer);
      poll(++state.generation);
    }
  });

  if (token()) showDashboard(); else signOut('');
})();
