// The console (issue 15): every page reads the REST API with the signed-in user's token and nothing
// else, so it shows what the API lets that user see. Data is only ever put in the page as text, never
// as markup. Pages refresh their data from the server every few seconds without a reload.
'use strict';

const API = '/api/v1';
const REFRESH_MILLIS = 2000;
let me = null;
let refresher = null;

// --- helpers -------------------------------------------------------------------------------------

function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'onclick' || name === 'onsubmit' || name === 'oninput') node[name] = value;
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function token() { return sessionStorage.getItem('bse-token'); }

async function api(path, options) {
  const response = await fetch(API + path, Object.assign({ headers: {} }, options, {
    headers: Object.assign({ 'Authorization': 'Bearer ' + token() }, (options || {}).headers || {})
  }));
  if (response.status === 401) { signOut('Your token is not known to the engine.'); throw new Error('401'); }
  let body = null;
  try { body = await response.json(); } catch (e) { body = null; }
  return { status: response.status, body: body };
}

function stateBadge(state) {
  return el('span', { class: 'state-' + String(state || '').replace(/ /g, '-') }, state || '');
}

function age(iso) {
  if (!iso) return '';
  const seconds = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (seconds < 120) return Math.round(seconds) + 's';
  if (seconds < 7200) return Math.round(seconds / 60) + 'm';
  if (seconds < 172800) return Math.round(seconds / 3600) + 'h';
  return Math.round(seconds / 86400) + 'd';
}

function table(headers, rows, attributes) {
  return el('table', attributes || {},
    el('thead', {}, el('tr', {}, headers.map(h => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, rows));
}

function query(hash) {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.substring(at + 1));
}

function requestId() {
  return 'console-' + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
}

/** An operation document as JSON (YAML's superset): no string building of YAML from data. */
function documentOf(kind, spec) {
  return JSON.stringify({ apiVersion: 'backupstate.dev/v1', kind: kind, metadata: { requestId: requestId() }, spec: spec });
}

// --- sign in -------------------------------------------------------------------------------------

function signOut(why) {
  sessionStorage.removeItem('bse-token');
  me = null;
  showSignIn(why);
}

function showSignIn(why) {
  stopRefresh();
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  const input = el('input', { id: 'token', type: 'password', autocomplete: 'current-password', required: true, size: 40 });
  const form = el('form', { id: 'sign-in', onsubmit: async (event) => {
    event.preventDefault();
    sessionStorage.setItem('bse-token', input.value.trim());
    await start();
  } },
    el('h1', {}, 'Sign in'),
    el('p', {}, 'With your API token, as for the REST API and the CLI. It stays in this tab only.'),
    el('label', { for: 'token' }, 'Token '), input, ' ', el('button', { type: 'submit', id: 'sign-in-button' }, 'Sign in'),
    why ? el('p', { class: 'error', role: 'alert' }, why) : null);
  const main = document.getElementById('main');
  main.replaceChildren(form);
  input.focus();
}

async function start() {
  if (!token()) { showSignIn(); return; }
  let answer;
  try { answer = await api('/me'); } catch (e) { return; }
  if (answer.status !== 200) { signOut('The engine did not accept the token.'); return; }
  if (answer.body.state !== 'Active') { signOut('User ' + answer.body.user + ' is ' + answer.body.state + ': only Active users may sign in.'); return; }
  me = answer.body;
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = false;
  document.getElementById('who').textContent = me.user + ' (' + me.role + ') · ' + me.mode;
  route();
}

// --- routing and refresh -------------------------------------------------------------------------

function stopRefresh() { if (refresher) { clearInterval(refresher); refresher = null; } }

/** Renders a page's frame once, then its data now and every few seconds (no reload, focus kept). */
function page(title, controls, load) {
  stopRefresh();
  const data = el('div', { id: 'data', 'aria-live': 'polite' });
  const main = document.getElementById('main');
  main.replaceChildren(el('h1', {}, title), controls || '', data);
  const refresh = async () => {
    try {
      const content = await load();
      data.replaceChildren(...[].concat(content));
      document.getElementById('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (e.message !== '401') data.replaceChildren(el('p', { class: 'error' }, 'The engine did not answer: ' + e.message));
    }
  };
  refresh();
  refresher = setInterval(refresh, REFRESH_MILLIS);
  return refresh;
}

function route() {
  if (!me) { start(); return; }
  const hash = location.hash || '#/overview';
  const parts = hash.replace(/\?.*$/, '').split('/');
  const params = query(hash);
  switch (parts[1]) {
    case 'grid': return gridPage(params);
    case 'list': return listPage(decodeURIComponent(parts[2] || 'backups'), params);
    case 'backup': return backupPage(decodeURIComponent(parts[2] || ''));
    case 'schedules': return schedulesPage();
    case 'rules': return rulesPage();
    default: return overviewPage();
  }
}

// --- overview ------------------------------------------------------------------------------------

function overviewPage() {
  page('Fleet overview', null, async () => {
    const [matrix, changes, invalid, failed, running, rules] = await Promise.all([
      api('/matrix'), api('/changes?since=60m&limit=20'), api('/resources/backup-locations?state=Invalid&limit=20'),
      api('/resources/backups?state=Failure&limit=20'), api('/resources/backups?state=In-Progress&limit=200'),
      me.admin ? api('/rules') : Promise.resolve({ status: 403, body: {} })]);
    const kinds = matrix.body.resources;
    const rows = [];
    for (const [kind, states] of Object.entries(kinds)) {
      const counts = Object.entries(states);
      rows.push(el('tr', { 'data-kind': kind },
        el('th', { scope: 'row' }, kind),
        el('td', {}, counts.length === 0 ? el('span', { class: 'muted' }, 'none') : counts.map(([state, count], i) => [i ? ', ' : '',
          el('a', { href: '#/list/' + kind + (state === 'stateless' ? '' : '?state=' + encodeURIComponent(state)),
            'data-state': state, 'data-count': count }, stateBadge(state), ' ', el('b', {}, count))]))));
    }
    const alerts = [];
    for (const location of invalid.body.items) {
      alerts.push(el('li', {}, 'Location ', el('a', { href: '#/list/connections?location=' + encodeURIComponent(location.name) }, location.name),
        ' is Invalid', location.cause ? ': ' + location.cause : ''));
    }
    const clusters = kinds.clusters || {};
    for (const [state, count] of Object.entries(clusters)) {
      if (state !== 'Active') alerts.push(el('li', {}, el('a', { href: '#/list/clusters?state=' + encodeURIComponent(state) }, count + ' cluster(s)'), ' ', stateBadge(state)));
    }
    for (const backup of failed.body.items) {
      alerts.push(el('li', {}, 'Backup ', el('a', { href: '#/backup/' + encodeURIComponent(backup.name) }, backup.name), ' failed',
        backup.cause ? ': ' + backup.cause : ''));
    }
    for (const backup of running.body.items.filter(b => b.created && Date.now() - Date.parse(b.created) > 3600 * 1000)) {
      alerts.push(el('li', {}, 'Backup ', el('a', { href: '#/backup/' + encodeURIComponent(backup.name) }, backup.name),
        ' has been In-Progress for ', age(backup.created)));
    }
    if (rules.body.lastRefusal) {
      alerts.push(el('li', {}, el('a', { href: '#/rules' }, 'A rules reload was refused'), ': ',
        rules.body.lastRefusal.problems.map(p => p.file + ':' + p.line + ' ' + p.message).join('; ')));
    }
    return [
      el('p', {}, 'Mode: ', el('b', { id: 'mode' }, matrix.body.mode), me.admin ? ' · rules generation ' + rules.body.generation : ''),
      el('h2', {}, 'The matrix'),
      table(['kind', 'count per state'], rows, { id: 'matrix' }),
      el('h2', {}, 'Alerts'),
      alerts.length ? el('ul', { class: 'alerts', id: 'alerts' }, alerts) : el('p', { id: 'alerts', class: 'muted' }, 'None.'),
      el('h2', {}, 'Changed in the last hour'),
      changes.body.length === 0 ? el('p', { class: 'muted' }, 'Nothing.') : table(['age', 'who', 'what', 'rule', 'changes'],
        changes.body.map(entry => el('tr', {}, el('td', {}, age(entry.at)), el('td', {}, entry.actor), el('td', {}, entry.eventKind + ' ' + entry.subject),
          el('td', {}, entry.rule || ''), el('td', {}, (entry.transitions || []).join('; ')))), { id: 'changes' })];
  });
}

// --- the grid ------------------------------------------------------------------------------------

function gridPage(params) {
  const name = el('input', { name: 'cluster', value: params.get('cluster') || '', size: 16 });
  const state = el('input', { name: 'state', value: params.get('state') || '', size: 12, placeholder: 'Active' });
  const connection = el('input', { name: 'connection', value: params.get('connection') || '', size: 12, placeholder: 'Invalid' });
  const limit = 50;
  let offset = Number(params.get('offset') || 0);
  const apply = (event) => { if (event) event.preventDefault(); offset = 0; refresh(); };
  const controls = el('form', { class: 'filters', onsubmit: apply },
    el('label', {}, 'Cluster name contains', name), el('label', {}, 'Cluster state', state),
    el('label', {}, 'Has a connection', connection), el('button', { type: 'submit' }, 'Filter'));
  const refresh = page('Location × cluster grid', controls, async () => {
    const q = new URLSearchParams({ offset: offset, limit: limit });
    if (name.value) q.set('cluster', name.value);
    if (state.value) q.set('state', state.value);
    if (connection.value) q.set('connection', connection.value);
    const answer = await api('/grid?' + q);
    if (answer.status !== 200) return el('p', { class: 'error', role: 'alert' }, answer.body.error);
    const grid = answer.body;
    const header = el('tr', {}, el('th', { scope: 'col' }, 'cluster'),
      grid.locations.map(l => el('th', { scope: 'col', title: l.state }, l.name)));
    const rows = grid.clusters.map(cluster => el('tr', { 'data-cluster': cluster.name },
      el('th', { scope: 'row', title: cluster.cause || cluster.state }, cluster.name, ' ', stateBadge(cluster.state)),
      grid.locations.map(l => {
        const cell = cluster.cells[l.name];
        if (!cell) return el('td', { class: 'cell none', 'data-location': l.name }, '·');
        return el('td', { class: 'cell' + (cell.eligible ? ' eligible' : ''), 'data-location': l.name, 'data-state': cell.state,
          title: (cell.cause || cell.state) + (cell.eligible ? ' (eligible)' : ''),
          'aria-label': l.name + ' on ' + cluster.name + ': ' + cell.state + (cell.cause ? ', ' + cell.cause : '') + (cell.eligible ? ', eligible' : '') },
          stateBadge(cell.state));
      })));
    const pages = Math.max(1, Math.ceil(grid.total / limit));
    const current = Math.floor(offset / limit) + 1;
    return [
      el('p', {}, grid.total + ' clusters × ' + grid.locations.length + ' locations · page ' + current + ' of ' + pages + ' · ',
        el('button', { type: 'button', disabled: offset === 0, onclick: () => { offset = Math.max(0, offset - limit); refresh(); } }, 'Previous'), ' ',
        el('button', { type: 'button', disabled: offset + limit >= grid.total, onclick: () => { offset += limit; refresh(); } }, 'Next'),
        ' · ★ eligible (the rules: Active with a Valid connection); hover a cell for its cause'),
      el('table', { class: 'grid', id: 'grid' }, el('thead', {}, header), el('tbody', {}, rows))];
  });
}

// --- lists ---------------------------------------------------------------------------------------

const FILTERS = {
  'backups': ['state', 'location', 'cluster', 'owner', 'labelSelector'],
  'restores': ['state', 'cluster', 'owner'],
  'schedules': ['state', 'location', 'cluster', 'owner', 'labelSelector'],
  'clusters': ['state'],
  'backup-locations': ['state'],
  'connections': ['state', 'location', 'cluster'],
  'syncs': ['state', 'cluster'],
  'users': ['state']
};

function listPage(kind, params) {
  const inputs = (FILTERS[kind] || ['state']).map(name => el('input', { name: name, value: params.get(name) || '', size: 14 }));
  let after = null;
  const apply = (event) => { event.preventDefault(); after = null; refresh(); };
  const controls = el('form', { class: 'filters', onsubmit: apply },
    inputs.map(input => el('label', {}, input.name, input)), el('button', { type: 'submit' }, 'Filter'));
  const refresh = page(kind, controls, async () => {
    const q = new URLSearchParams({ limit: 100 });
    inputs.forEach(input => { if (input.value) q.set(input.name, input.value); });
    if (after) q.set('continue', after);
    const answer = await api('/resources/' + encodeURIComponent(kind) + '?' + q);
    if (answer.status !== 200) return el('p', { class: 'error', role: 'alert' }, answer.body.error);
    const items = answer.body.items;
    const rows = items.map(item => {
      const label = item.name || (item.location + ':' + item.cluster);
      const name = kind === 'backups' ? el('a', { href: '#/backup/' + encodeURIComponent(item.name) }, item.name) : label;
      return el('tr', { 'data-name': label }, el('td', {}, name), el('td', {}, stateBadge(item.state)),
        el('td', {}, item.cluster || ''), el('td', {}, item.location || ''), el('td', {}, item.owner || ''),
        el('td', {}, item.cause || ''), el('td', {}, age(item.created)));
    });
    return [
      el('p', { class: 'muted' }, items.length + ' shown', answer.body.continue ? ' · more follow' : ''),
      items.length ? table(['name', 'state', 'cluster', 'location', 'owner', 'cause', 'age'], rows, { id: 'list' })
        : el('p', { id: 'list', class: 'muted' }, 'No ' + kind + '.'),
      answer.body.continue ? el('button', { type: 'button', onclick: () => { after = answer.body.continue; refresh(); } }, 'Next page') : null];
  });
}

// --- a backup ------------------------------------------------------------------------------------

function backupPage(name) {
  const actions = el('div', { id: 'actions' });
  const refresh = page('Backup ' + name, actions, async () => {
    const [found, deletable, force, history] = await Promise.all([
      api('/resources/backups/' + encodeURIComponent(name)), api('/resources/backups/' + encodeURIComponent(name) + '/deletability'),
      api('/requests?dryRun=true', { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: documentOf('DeleteBackup', { backup: name, force: true }) }),
      api('/audit?resource=' + encodeURIComponent('backups/' + name))]);
    if (found.status === 404) return el('p', { id: 'gone' }, 'There is no backup ' + name + ' (or it is not yours to see).');
    const backup = found.body;
    renderActions(actions, backup, deletable.body, force.status === 200 && force.body.accepted, refresh);
    const fields = ['state', 'cause', 'owner', 'cluster', 'location', 'schedule', 'created', 'namespaces', 'labels'].filter(f => backup[f] !== null && backup[f] !== undefined);
    return [
      el('dl', { class: 'fields' }, fields.map(f => [el('dt', {}, f),
        el('dd', { 'data-field': f }, f === 'state' ? stateBadge(backup.state) : typeof backup[f] === 'object' ? JSON.stringify(backup[f]) : backup[f])])),
      el('h2', {}, 'Can it be deleted now?'),
      el('p', { id: 'deletability' }, deletable.body.deletable
        ? 'Yes, ' + (deletable.body.cluster ? 'by cluster ' + deletable.body.cluster : 'by the engine')
        : ['No: ', el('b', {}, deletable.body.reason), ' by rule “', deletable.body.rule, '”: ', deletable.body.message]),
      el('h2', {}, 'Timeline'),
      table(['age', 'who', 'event', 'result', 'rule', 'message'], history.body.items.map(entry => el('tr', {},
        el('td', { title: entry.at }, age(entry.at)), el('td', {}, entry.actor), el('td', {}, entry.eventKind),
        el('td', {}, entry.accepted ? 'accepted' : entry.reason), el('td', {}, entry.rule || ''), el('td', {}, entry.message || ''))), { id: 'timeline' })];
  });
}

/** The buttons a user may press; each asks for a dry run first and shows it, then sends on confirmation. */
function renderActions(actions, backup, deletable, forceAllowed, refresh) {
  if (actions.dataset.busy) return;
  const restoreCluster = el('input', { name: 'restore-cluster', value: backup.cluster || '', size: 14, 'aria-label': 'restore to cluster' });
  const buttons = [
    el('button', { type: 'button', id: 'delete', onclick: () => propose(actions, 'DeleteBackup', { backup: backup.name, force: false }, refresh) }, 'Delete'),
    forceAllowed ? el('button', { type: 'button', id: 'force-delete', onclick: () => propose(actions, 'DeleteBackup', { backup: backup.name, force: true }, refresh) }, 'Force delete') : null,
    el('span', {}, ' '), restoreCluster,
    el('button', { type: 'button', id: 'restore', onclick: () => propose(actions, 'CreateRestore',
      { name: backup.name + '-restore-' + Date.now().toString(36), backup: backup.name, cluster: restoreCluster.value }, refresh) }, 'Restore')];
  actions.replaceChildren(el('p', {}, buttons));
}

async function propose(actions, kind, spec, refresh) {
  actions.dataset.busy = 'yes';
  const sentDocument = documentOf(kind, spec);
  const dry = await api('/requests?dryRun=true', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: sentDocument });
  const decision = dry.body || {};
  const panel = el('div', { class: 'panel ' + (decision.accepted ? 'accepted' : 'refused'), id: 'dry-run', role: 'status' },
    el('p', {}, el('b', {}, 'Dry run of ' + kind + ': '), dry.status !== 200 ? decision.error
      : decision.accepted ? 'it would be accepted. ' + decision.message : ['it would be refused: ', el('b', { id: 'reason' }, decision.reason),
        ' by rule “', el('span', { id: 'rule' }, decision.rule), '”: ', decision.message]),
    (decision.transitions || []).length ? el('ul', {}, decision.transitions.map(t => el('li', {}, t))) : null,
    el('p', {},
      decision.accepted ? el('button', { type: 'button', id: 'confirm', onclick: async () => {
        const sent = await api('/requests', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: sentDocument });
        panel.replaceChildren(el('p', { id: 'sent' }, sent.body.accepted ? 'Accepted: ' + sent.body.message
          : 'Refused: ' + sent.body.reason + ' by rule “' + sent.body.rule + '”: ' + sent.body.message));
        delete actions.dataset.busy;
        refresh();
      } }, 'Confirm') : null, ' ',
      el('button', { type: 'button', id: 'cancel', onclick: () => { delete actions.dataset.busy; refresh(); } }, decision.accepted ? 'Cancel' : 'Close')));
  actions.replaceChildren(panel);
}

// --- schedules -----------------------------------------------------------------------------------

function schedulesPage() {
  const refresh = page('Schedules', null, async () => {
    const answer = await api('/resources/schedules?limit=200');
    const schedules = answer.body.items;
    const runs = await Promise.all(schedules.map(s => api('/resources/schedules/' + encodeURIComponent(s.name) + '/runs?count=3')));
    const rows = schedules.map((schedule, i) => {
      const run = runs[i].body || {};
      const suspended = schedule.state === 'Suspended';
      return el('tr', { 'data-name': schedule.name }, el('td', {}, schedule.name), el('td', {}, stateBadge(schedule.state)),
        el('td', {}, schedule.cluster), el('td', {}, schedule.location), el('td', {}, schedule.policy),
        el('td', {}, (run.nextRuns || []).join(', ') || run.note || '', run.timeZone ? ' (' + run.timeZone + ')' : ''),
        el('td', {}, run.lastRun ? [run.lastRun.backup, ' ', stateBadge(run.lastRun.state)] : 'never'),
        el('td', {}, el('button', { type: 'button', class: suspended ? 'resume' : 'suspend', onclick: async () => {
          await api('/requests', { method: 'POST', headers: { 'Content-Type': 'application/json' },
            body: documentOf(suspended ? 'ResumeSchedule' : 'SuspendSchedule', { name: schedule.name }) });
          refresh();
        } }, suspended ? 'Resume' : 'Suspend')));
    });
    return rows.length ? table(['name', 'state', 'cluster', 'location', 'policy', 'next runs', 'last run', ''], rows, { id: 'schedules' })
      : el('p', { class: 'muted', id: 'schedules' }, 'No schedules.');
  });
}

// --- rules ---------------------------------------------------------------------------------------

function rulesPage() {
  page('Rules in force', null, async () => {
    if (!me.admin) return el('p', { class: 'muted', id: 'rules-admins-only' }, 'The rules surfaces are for admins.');
    const [rules, shadow] = await Promise.all([api('/rules'), api('/rules/shadow')]);
    const status = rules.body;
    return [
      el('p', {}, 'Generation ', el('b', { id: 'generation' }, status.generation), ' · ', status.hash, ' · loaded ', status.loadedAt || '', ' from ',
        (status.files || []).join(', ')),
      status.lastRefusal ? el('div', { class: 'panel refused', id: 'last-refusal' }, el('b', {}, 'Last reload refused '), status.lastRefusal.at,
        el('ul', {}, status.lastRefusal.problems.map(p => el('li', {}, p.file + ':' + p.line + ' ' + p.message))))
        : el('p', { class: 'muted' }, 'No refused reload.'),
      shadow.status === 200 ? [el('p', { id: 'shadow' }, 'Shadow rules (' + shadow.body.directory + '): ' + shadow.body.compared + ' events compared, '
          + shadow.body.disagreements + ' disagreements'),
        (shadow.body.recent || []).length ? table(['event', 'in force', 'shadow'], shadow.body.recent.map(d => el('tr', {},
          el('td', {}, JSON.stringify(d.event || d.subject || '')), el('td', {}, JSON.stringify(d.inForce || '')), el('td', {}, JSON.stringify(d.shadow || ''))))) : null]
        : el('p', { class: 'muted' }, 'No shadow rules configured.'),
      table(['file:line', 'rule'], (status.rules || []).map(r => el('tr', {}, el('td', {}, r.file + ':' + r.line), el('td', {}, r.rule))), { id: 'rules' })];
  });
}

// --- start ---------------------------------------------------------------------------------------

window.addEventListener('hashchange', route);
document.getElementById('sign-out').addEventListener('click', () => signOut());
start();
