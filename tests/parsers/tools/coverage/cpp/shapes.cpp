// Built with --coverage and run once, then read by gcovr: partly covered lines, a branch
// taken one way, and a function never called (see tests/parsers/tools/README.md).
#include <cstdio>

static int sign(int x) {
    if (x > 0) {
        return 1;
    } else if (x < 0) {
        return -1;
    }
    return 0;
}

static int unused(int x) { return x * 2; }

int main() {
    std::printf("%d\n", sign(3));
    return 0;
}
