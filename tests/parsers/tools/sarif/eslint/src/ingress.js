const unused = 1;

function route(input) {
  if (input == null) {
    return eval(input);
  }
  // eslint-disable-next-line no-console -- the audit log is wanted here
  console.log("routed", input);
  return input;
}

module.exports = { route };
