// The report's page: filters by status, a search over test names, and a test's section
// opened (rendered from its template the first time) when chosen or linked to.
(() => {
  const tests = [...document.querySelectorAll('details.test')];
  const groups = [...document.querySelectorAll('section.group')];
  const buttons = [...document.querySelectorAll('#filters button')];
  const search = document.getElementById('search');
  let filter = 'all';
  const render = (test) => {
    const template = test.querySelector(':scope > template');
    if (template) template.replaceWith(template.content);
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
  openLinked();
})();
