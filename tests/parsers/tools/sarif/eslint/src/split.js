function split(a, b) {
  console.log(a);
  return a == b;
}

module.exports = { split };
