// Select options built from the label tables of the i18n file, in the tables' order.
export const optionsOf = (labels: Record<string, string>) =>
  Object.entries(labels).map(([value, label]) => ({ value, label }));
