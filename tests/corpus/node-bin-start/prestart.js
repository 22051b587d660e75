// npm's prestart hook: leaves a mark the server reports, so the test sees the hook ran.
require("fs").writeFileSync("/tmp/prestart-ran", "yes");
