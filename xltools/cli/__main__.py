from xltools.cli.app import main

main()
