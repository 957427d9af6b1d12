from removalwatch.cli import main

main()
