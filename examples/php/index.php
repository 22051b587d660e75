<?php
// hello from php: /, /health, /headers (request headers as JSON). Also the router script of
// PHP's built-in server, so every path comes here.
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path === '/health') {
    header('Content-Type: text/plain');
    echo "ok\n";
} elseif ($path === '/headers') {
    header('Content-Type: application/json');
    echo json_encode(array_change_key_case(getallheaders(), CASE_LOWER)), "\n";
} else {
    header('Content-Type: text/plain');
    echo "hello from php\n";
}
