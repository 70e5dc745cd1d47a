#include "sync/ServerApp.h"

#include <iostream>

POCO_SERVER_MAIN(berkas::sync::ServerApp)
