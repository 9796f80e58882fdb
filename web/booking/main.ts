document.getElementById('app')!.textContent = 'The booking widget is being built.'
