<?php
// composer.json with no dependencies and index.php at the root: php -S serves from the root.
header('Content-Type: text/plain');
echo "php-root: " . parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH) . " on PHP " . PHP_MAJOR_VERSION . "\n";
