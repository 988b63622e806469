// The report's page: filters by status, a search over test names, and a test's section
// opened (rendered from its template the first time) when chosen or linked to.
(() => {
  const tests = [...document.querySelectorAll('details.test')];
  const groups = [...document.querySelectorAll('section.group')];
  const buttons = [...document.querySelectorAll('#filters button')];
  const search = document.getElementById('search');
  let filter = 'all';
  // The trace viewer: choosing an action shows the page after it, large, and marks the
  // console and network lines of its time span.
  const choose = (row) => {
    const trace = row.closest('.trace');
    for (const r of trace.querySelectorAll('.actions tr.chosen')) r.classList.remove('chosen');
    row.classList.add('chosen');
    const frame = row.dataset.frame;
    const shot = frame !== undefined &&
      trace.querySelector(`.filmstrip figure[data-frame="${frame}"] img`);
    const stage = trace.querySelector('.stage');
    const image = stage.querySelector('img');
    image.hidden = !shot;
    if (shot) image.src = shot.src;
    stage.querySelector('figcaption').textContent = shot
      ? `after ${row.dataset.name}` : `${row.dataset.name}: no picture of the page`;
    const [start, end] = [+row.dataset.start, +row.dataset.end];
    for (const line of trace.querySelectorAll('.console tr[data-start], .network tr[data-start]')) {
      const inSpan = +line.dataset.start <= end && +line.dataset.end >= start;
      line.classList.toggle('in-span', inSpan);
    }
  };
  const showLastAction = (root) => {
    for (const trace of root.querySelectorAll('.trace')) {
      const rows = trace.querySelectorAll('.actions tr[data-start]');
      if (rows.length) choose(rows[rows.length - 1]);
    }
  };
  document.addEventListener('click', (event) => {
    const row = event.target.closest('.trace .actions tr[data-start]');
    if (row) return choose(row);
    const figure = event.target.closest('.trace .filmstrip figure[data-frame]');
    if (figure) {
      const trace = figure.closest('.trace');
      const first = trace.querySelector(`.actions tr[data-frame="${figure.dataset.frame}"]`);
      if (first) choose(first);
    }
  });
  const render = (test) => {
    const template = test.querySelector(':scope > template');
    if (!template) return;
    const content = template.content;
    template.replaceWith(content);
    showLastAction(test);
  };
  const apply = () => {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const test of tests) {
      const name = test.dataset.test.toLowerCase();
      const shown = (filter === 'all' || test.dataset.status === filter) &&
        words.every((w) => name.includes(w));
      test.hidden = !shown;
    }
    for (const group of groups) {
      group.hidden = !group.querySelector('details.test:not([hidden])');
    }
  };
  for (const button of buttons) {
    button.addEventListener('click', () => {
      filter = button.dataset.filter;
      for (const b of buttons) b.classList.toggle('chosen', b === button);
      apply();
    });
  }
  search.addEventListener('input', apply);
  for (const test of tests) {
    test.addEventListener('toggle', () => test.open && render(test));
  }
  const openLinked = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    const test = id && document.getElementById(id);
    if (test && test.matches('details.test')) {
      test.hidden = false;
      test.open = true;
      render(test);
      test.scrollIntoView();
    }
  };
  addEventListener('hashchange', openLinked);
  showLastAction(document);
  openLinked();
})();
