<?php
// The front controller in public/: PHP's built-in server routes every path here.
header('Content-Type: text/plain');
echo "php-public: ", parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH), "\n";
